package dev.portside.identity;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portside.common.http.ApiException;
import dev.portside.common.http.ErrorFormat;
import dev.portside.common.http.HttpStatusTitles;
import dev.portside.common.json.Json;

/** Keystone's error body: {"error": {"code", "title", "message"}}, and its usual errors. */
public final class IdentityErrors implements ErrorFormat {

    @Override
    public ObjectNode render(ApiException error) {
        ObjectNode body = Json.object();
        body.putObject("error")
                .put("code", error.status())
                .put("title", HttpStatusTitles.of(error.status()))
                .put("message", error.getMessage());
        return body;
    }

    /** Keystone's wording for a missing entity: "Could not find project: demo." */
    public static ApiException notFound(String kind, String id) {
        return new ApiException(404, "NotFound", "Could not find " + kind + ": " + id + ".");
    }

    /** Keystone's wording for a duplicate name. */
    public static ApiException duplicate(String kind, String name, String scope) {
        return new ApiException(409, "Conflict", "Conflict occurred attempting to store " + kind
                + " - it is not permitted to have two " + kind + "s with the same name " + scope + ": " + name + ".");
    }
}
