package dev.portside.compute.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portside.common.auth.AuthContext;
import dev.portside.common.http.Requests;
import dev.portside.common.json.Json;
import dev.portside.compute.Microversion;
import dev.portside.compute.NovaErrors;
import io.javalin.http.Context;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code /servers/{id}/tags} (2.26): a server's tags, as Nova keeps them - at most 50, each 1 to 60
 * characters without '/' or ','. Changes take the server's row lock, so two concurrent adds cannot
 * pass the limit together.
 */
public final class ServerTagApi {
    static final int MAX_TAGS = 50;
    private static final int MAX_LENGTH = 60;
    private static final Set<String> CHANGEABLE = Set.of(Server.ACTIVE, Server.PAUSED, Server.SUSPENDED, Server.STOPPED);

    private final Jdbi jdbi;
    private final ServerStore servers;
    private final ServerApi serverApi;
    private final String baseUrl;

    ServerTagApi(Jdbi jdbi, ServerStore servers, ServerApi serverApi, String baseUrl) {
        this.jdbi = jdbi;
        this.servers = servers;
        this.serverApi = serverApi;
        this.baseUrl = baseUrl;
    }

    public void list(Context ctx) {
        Server server = server(ctx, "index");
        respond(ctx, jdbi.withHandle(h -> servers.tags(h, server.id())));
    }

    /** PUT /servers/{id}/tags: replaces them all. */
    public void replace(Context ctx) {
        Server server = server(ctx, "update_all");
        JsonNode tags = Requests.jsonBody(ctx).get("tags");
        if (tags == null || !tags.isArray() || Requests.jsonBody(ctx).size() != 1) {
            throw NovaErrors.badRequest("Invalid input for field/attribute tags. 'tags' is a required property and"
                    + " the only one");
        }
        Set<String> wanted = read(tags);
        List<String> now = jdbi.inTransaction(h -> {
            changeable(h, server.id(), "update tags");
            servers.replaceTags(h, server.id(), wanted);
            return servers.tags(h, server.id());
        });
        respond(ctx, now);
    }

    public void clear(Context ctx) {
        Server server = server(ctx, "delete_all");
        jdbi.useTransaction(h -> {
            changeable(h, server.id(), "delete tags");
            servers.replaceTags(h, server.id(), List.of());
        });
        ctx.status(204);
    }

    /** GET /servers/{id}/tags/{tag}: 204 when the server has it. */
    public void check(Context ctx) {
        Server server = server(ctx, "show");
        String tag = ctx.pathParam("tag");
        if (!jdbi.withHandle(h -> servers.tags(h, server.id())).contains(tag)) {
            throw NovaErrors.notFound("Server " + server.id() + " has no tag '" + tag + "'");
        }
        ctx.status(204);
    }

    /** PUT /servers/{id}/tags/{tag}: 201 with its location when added, 204 when the server had it. */
    public void add(Context ctx) {
        Server server = server(ctx, "update");
        String tag = ctx.pathParam("tag");
        boolean added = jdbi.inTransaction(h -> {
            changeable(h, server.id(), "update tag");
            valid(tag, true);
            List<String> tags = servers.tags(h, server.id());
            if (tags.size() >= MAX_TAGS) {
                throw NovaErrors.badRequest("The number of tags exceeded the per-server limit " + MAX_TAGS);
            }
            if (tags.contains(tag)) {
                return false;
            }
            servers.addTag(h, server.id(), tag);
            return true;
        });
        if (added) {
            ctx.header("Location", baseUrl + "/v2.1/servers/" + server.id() + "/tags/" + tag);
        }
        ctx.status(added ? 201 : 204);
    }

    public void remove(Context ctx) {
        Server server = server(ctx, "delete");
        String tag = ctx.pathParam("tag");
        boolean removed = jdbi.inTransaction(h -> {
            changeable(h, server.id(), "delete tag");
            return servers.removeTag(h, server.id(), tag);
        });
        if (!removed) {
            throw NovaErrors.notFound("Instance " + server.id() + " has no tag '" + tag + "'");
        }
        ctx.status(204);
    }

    private Server server(Context ctx, String rule) {
        if (!Microversion.of(ctx).atLeast(26)) {
            throw NovaErrors.notFound("The resource could not be found.");
        }
        AuthContext caller = Requests.auth(ctx);
        return serverApi.visible(caller, ctx.pathParam("server_id"), "os_compute_api:os-server-tags:" + rule);
    }

    // Under the server's row lock: tags change only on a server at rest, as in Nova.
    private void changeable(Handle h, String id, String action) {
        Server server = servers.findForUpdate(h, id).orElseThrow(() -> NovaErrors.serverNotFound(id));
        if (!CHANGEABLE.contains(server.vmState())) {
            throw NovaErrors.invalidState(action, id, "vm_state", server.vmState());
        }
    }

    /** A list of tags as Nova's schema takes it (here and on server create from 2.52): at most 50 valid tags. */
    static Set<String> read(JsonNode tags) {
        if (!tags.isArray()) {
            throw NovaErrors.badRequest("Invalid input for field/attribute tags. Value: " + tags + ". " + tags
                    + " is not of type 'array'");
        }
        if (tags.size() > MAX_TAGS) {
            throw NovaErrors.badRequest("Invalid input for field/attribute tags. Value: " + tags + ". " + tags
                    + " is too long");
        }
        Set<String> wanted = new LinkedHashSet<>();
        tags.forEach(tag -> wanted.add(valid(tag.isTextual() ? tag.asText() : tag.toString(), tag.isTextual())));
        return wanted;
    }

    private static String valid(String tag, boolean text) {
        if (!text || tag.isEmpty() || tag.length() > MAX_LENGTH || tag.contains("/") || tag.contains(",")) {
            throw NovaErrors.badRequest("Tag '" + tag + "' is invalid. It must be a non empty string without"
                    + " characters '/' and ','. At most " + MAX_LENGTH + " characters.");
        }
        return tag;
    }

    private static void respond(Context ctx, List<String> tags) {
        ObjectNode body = Json.object();
        ArrayNode list = body.putArray("tags");
        new ArrayList<>(tags).forEach(list::add);
        Requests.respond(ctx, 200, body);
    }
}
