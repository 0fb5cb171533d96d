package dev.portside.compute;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portside.common.http.ApiException;
import dev.portside.common.http.ErrorFormat;
import dev.portside.common.json.Json;

/**
 * Nova's error body: one member named after the status ({"badRequest": {"code": 400, "message"}},
 * "itemNotFound", "conflictingRequest", ...), as nova.api.openstack.wsgi.Fault writes it.
 */
public final class NovaErrors implements ErrorFormat {

    @Override
    public ObjectNode render(ApiException error) {
        ObjectNode body = Json.object();
        body.putObject(faultName(error.status())).put("code", error.status()).put("message", error.getMessage());
        return body;
    }

    static String faultName(int status) {
        return switch (status) {
            case 400 -> "badRequest";
            case 401 -> "unauthorized";
            case 403 -> "forbidden";
            case 404 -> "itemNotFound";
            case 405 -> "badMethod";
            case 409 -> "conflictingRequest";
            case 413, 429 -> "overLimit";
            case 415 -> "badMediaType";
            case 501 -> "notImplemented";
            case 503 -> "serviceUnavailable";
            default -> "computeFault";
        };
    }

    public static ApiException badRequest(String message) {
        return new ApiException(400, "BadRequest", message);
    }

    public static ApiException notFound(String message) {
        return new ApiException(404, "NotFound", message);
    }

    public static ApiException conflict(String message) {
        return new ApiException(409, "Conflict", message);
    }

    public static ApiException serverNotFound(String id) {
        return notFound("Instance " + id + " could not be found.");
    }

    /** Nova's InstanceInvalidState: an action the server's current state does not allow. */
    public static ApiException invalidState(String action, String serverId, String attribute, String state) {
        return conflict("Cannot '" + action + "' instance " + serverId + " while it is in " + attribute + " " + state);
    }
}
