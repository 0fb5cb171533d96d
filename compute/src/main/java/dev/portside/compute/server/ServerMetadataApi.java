package dev.portside.compute.server;

import dev.portside.common.auth.AuthContext;
import dev.portside.common.http.Requests;
import dev.portside.common.json.Json;
import dev.portside.compute.MetadataItems;
import dev.portside.compute.NovaErrors;
import dev.portside.compute.quota.ComputeQuotas;
import io.javalin.http.Context;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * {@code /servers/{id}/metadata}: a server's key/value metadata, read, merged, replaced, and one
 * item at a time, with Nova's rules (keys 1 to 255 characters, values strings of at most 255, the
 * project's {@code metadata_items} quota, a server at rest and not locked). Each change is a
 * read-modify-write under the server's row lock.
 */
public final class ServerMetadataApi {
    private static final Set<String> CHANGEABLE = Set.of(Server.ACTIVE, Server.PAUSED, Server.SUSPENDED, Server.STOPPED);

    private final Jdbi jdbi;
    private final ServerStore servers;
    private final ServerApi serverApi;
    private final ComputeQuotas quotas;

    ServerMetadataApi(Jdbi jdbi, ServerStore servers, ServerApi serverApi, ComputeQuotas quotas) {
        this.jdbi = jdbi;
        this.servers = servers;
        this.serverApi = serverApi;
        this.quotas = quotas;
    }

    public void list(Context ctx) {
        Server server = visible(ctx, "index");
        Requests.respond(ctx, 200, Json.object().set("metadata", MetadataItems.json(server.metadata())));
    }

    public void show(Context ctx) {
        Server server = visible(ctx, "show");
        String key = ctx.pathParam("key");
        String value = server.metadata().get(key);
        if (value == null) {
            throw NovaErrors.notFound("Metadata item was not found");
        }
        Requests.respond(ctx, 200, Json.object().set("meta", Json.object().put(key, value)));
    }

    /** POST: merges the given items into the server's. */
    public void merge(Context ctx) {
        Server server = changeable(ctx, "create");
        Map<String, String> given = MetadataItems.read(Requests.jsonBody(ctx), "metadata");
        Map<String, String> all = change(server, "update metadata", current -> {
            Map<String, String> merged = new LinkedHashMap<>(current);
            merged.putAll(given);
            return merged;
        });
        Requests.respond(ctx, 200, Json.object().set("metadata", MetadataItems.json(all)));
    }

    /** PUT: the given items become all of the server's. */
    public void replace(Context ctx) {
        Server server = changeable(ctx, "update_all");
        Map<String, String> given = MetadataItems.read(Requests.jsonBody(ctx), "metadata");
        change(server, "update metadata", current -> given);
        Requests.respond(ctx, 200, Json.object().set("metadata", MetadataItems.json(given)));
    }

    /** PUT /metadata/{key} with {"meta": {key: value}}: one item, its key the URL's. */
    public void put(Context ctx) {
        Server server = changeable(ctx, "update");
        String key = ctx.pathParam("key");
        Map<String, String> given = MetadataItems.read(Requests.jsonBody(ctx), "meta");
        if (given.size() > 1) {
            throw NovaErrors.badRequest("Request body contains too many items");
        }
        if (!given.containsKey(key)) {
            throw NovaErrors.badRequest("Request body and URI mismatch");
        }
        change(server, "update metadata", current -> {
            Map<String, String> changed = new LinkedHashMap<>(current);
            changed.put(key, given.get(key));
            return changed;
        });
        Requests.respond(ctx, 200, Json.object().set("meta", MetadataItems.json(given)));
    }

    public void delete(Context ctx) {
        Server server = changeable(ctx, "delete");
        String key = ctx.pathParam("key");
        change(server, "delete metadata", current -> {
            if (!current.containsKey(key)) {
                throw NovaErrors.notFound("Metadata item was not found");
            }
            Map<String, String> changed = new LinkedHashMap<>(current);
            changed.remove(key);
            return changed;
        });
        ctx.status(204);
    }

    private Server visible(Context ctx, String rule) {
        AuthContext caller = Requests.auth(ctx);
        return serverApi.visible(caller, ctx.pathParam("server_id"), "os_compute_api:server-metadata:" + rule);
    }

    private Server changeable(Context ctx, String rule) {
        AuthContext caller = Requests.auth(ctx);
        return serverApi.changeable(caller, ctx.pathParam("server_id"), "os_compute_api:server-metadata:" + rule);
    }

    private Map<String, String> change(Server server, String action, UnaryOperator<Map<String, String>> edit) {
        return jdbi.inTransaction(h -> {
            Server current = locked(h, server.id(), action);
            Map<String, String> changed = edit.apply(current.metadata());
            quotas.checkMetadata(h, current.projectId(), changed.size());
            servers.setMetadata(h, current.id(), changed, serverApi.now());
            return changed;
        });
    }

    private Server locked(Handle h, String id, String action) {
        Server server = servers.findForUpdate(h, id).orElseThrow(() -> NovaErrors.serverNotFound(id));
        if (!CHANGEABLE.contains(server.vmState()) || server.taskState().isPresent()) {
            throw server.taskState().isPresent()
                    ? NovaErrors.invalidState(action, id, "task_state", server.taskState().get())
                    : NovaErrors.invalidState(action, id, "vm_state", server.vmState());
        }
        return server;
    }
}
