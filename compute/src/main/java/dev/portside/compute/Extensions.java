package dev.portside.compute;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portside.common.http.Requests;
import dev.portside.common.json.Json;
import io.javalin.http.Context;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * {@code /v2.1/extensions}: since microversions, Nova answers a frozen list of the v2 extensions
 * (the API reference's {@code extensions-list-resp}), the same in every cloud, for clients that still
 * ask; it says nothing about what a cloud serves, which the microversion does.
 */
final class Extensions {
    private final JsonNode all;

    Extensions() {
        try (InputStream in = Extensions.class.getResourceAsStream("/compute/extensions.json")) {
            all = Json.parseObject(new String(in.readAllBytes(), StandardCharsets.UTF_8)).get("extensions");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        all.forEach(e -> ((ObjectNode) e).putArray("links"));
    }

    void list(Context ctx) {
        Requests.respond(ctx, 200, Json.object().set("extensions", all));
    }

    void show(Context ctx) {
        String alias = ctx.pathParam("alias");
        for (JsonNode extension : all) {
            if (extension.get("alias").asText().equals(alias)) {
                Requests.respond(ctx, 200, Json.object().set("extension", extension));
                return;
            }
        }
        throw NovaErrors.notFound("The resource could not be found.");
    }
}
