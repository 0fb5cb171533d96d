package dev.portside.identity;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portside.common.http.Requests;
import dev.portside.common.json.Json;
import io.javalin.http.Context;

/** Version discovery as Keystone answers it: 300 with the list at "/", the v3 document at "/v3". */
public record VersionApi(String baseUrl) {
    public void versions(Context ctx) {
        ObjectNode body = Json.object();
        body.putObject("versions").putArray("values").add(v3());
        Requests.respond(ctx, 300, body);
    }

    public void v3(Context ctx) {
        Requests.respond(ctx, 200, Json.object().set("version", v3()));
    }

    private ObjectNode v3() {
        ObjectNode version = Json.object().put("id", "v3.14").put("status", "stable").put("updated", "2020-04-07T00:00:00Z");
        version.putArray("links").addObject().put("rel", "self").put("href", baseUrl + "/v3/");
        version.putArray("media-types").addObject().put("base", "application/json")
                .put("type", "application/vnd.openstack.identity-v3+json");
        return version;
    }
}
