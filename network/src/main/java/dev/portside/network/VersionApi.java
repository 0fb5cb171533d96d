package dev.portside.network;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portside.common.http.Requests;
import dev.portside.common.json.Json;
import dev.portside.network.api.Definitions;
import io.javalin.http.Context;

/** Version discovery and the extension list, as neutron-server answers them. */
public record VersionApi(String baseUrl) {
    public void versions(Context ctx) {
        ObjectNode body = Json.object();
        ObjectNode v2 = body.putArray("versions").addObject().put("id", "v2.0").put("status", "CURRENT");
        v2.putArray("links").addObject().put("href", baseUrl + "/v2.0/").put("rel", "self");
        Requests.respond(ctx, 200, body);
    }

    public void v2(Context ctx) {
        ObjectNode body = Json.object();
        var resources = body.putArray("resources");
        for (String collection : new String[] {"networks", "subnets", "ports"}) {
            ObjectNode resource = resources.addObject().put("name", collection.substring(0, collection.length() - 1))
                    .put("collection", collection);
            resource.putArray("links").addObject().put("href", baseUrl + "/v2.0/" + collection).put("rel", "self");
        }
        Requests.respond(ctx, 200, body);
    }

    public void extensions(Context ctx) {
        ObjectNode body = Json.object();
        body.set("extensions", Definitions.renderExtensions());
        Requests.respond(ctx, 200, body);
    }

    public void extension(Context ctx) {
        String alias = ctx.pathParam("alias");
        var extension = Definitions.find(alias).orElseThrow(() -> new dev.portside.common.http.ApiException(404,
                "ExtensionNotFound", "Extension with alias " + alias + " does not exist"));
        Requests.respond(ctx, 200, Json.object().set("extension", extension.render()));
    }
}
