package dev.portside.network;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portside.common.auth.AuthContext;
import dev.portside.common.http.Requests;
import dev.portside.common.json.Fields;
import dev.portside.common.json.Json;
import io.javalin.http.Context;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code /v2.0/{collection}/{id}/tags[/{tag}]} for networks, subnets, ports and security groups. */
public final class TagApi {
    /** Who may see a resource's tags, and change them: the resource's own visibility and update rules. */
    public interface Taggable {
        /** Throws the resource's 404 when the caller may not see it, and 403 when {@code change} is not allowed. */
        void authorize(Handle h, AuthContext caller, String id, boolean change);
    }

    private final Jdbi jdbi;
    private final Tags tags;
    private final Map<String, Taggable> collections;

    public TagApi(Jdbi jdbi, Tags tags, Map<String, Taggable> collections) {
        this.jdbi = jdbi;
        this.tags = tags;
        this.collections = Map.copyOf(collections);
    }

    public Set<String> collections() {
        return collections.keySet();
    }

    public void list(Context ctx, String collection) {
        String id = ctx.pathParam("id");
        List<String> found = jdbi.withHandle(h -> {
            collections.get(collection).authorize(h, Requests.auth(ctx), id, false);
            return tags.of(h, id);
        });
        respond(ctx, 200, found);
    }

    public void check(Context ctx, String collection) {
        String id = ctx.pathParam("id");
        String tag = ctx.pathParam("tag");
        boolean present = jdbi.withHandle(h -> {
            collections.get(collection).authorize(h, Requests.auth(ctx), id, false);
            return tags.of(h, id).contains(tag);
        });
        if (!present) {
            throw Tags.notFound(tag, id);
        }
        ctx.status(204);
    }

    public void replace(Context ctx, String collection) {
        String id = ctx.pathParam("id");
        List<String> wanted = Fields.of(Requests.jsonBody(ctx), "", Set.of("tags")).strings("tags", 255)
                .orElseThrow(() -> NeutronErrors.invalidInput("the body needs \"tags\": [...]"));
        List<String> now = jdbi.inTransaction(h -> {
            collections.get(collection).authorize(h, Requests.auth(ctx), id, true);
            tags.replace(h, id, wanted);
            return tags.of(h, id);
        });
        respond(ctx, 200, now);
    }

    public void add(Context ctx, String collection) {
        String id = ctx.pathParam("id");
        jdbi.useTransaction(h -> {
            collections.get(collection).authorize(h, Requests.auth(ctx), id, true);
            tags.add(h, id, ctx.pathParam("tag"));
        });
        ctx.status(201);
    }

    public void remove(Context ctx, String collection) {
        String id = ctx.pathParam("id");
        String tag = ctx.pathParam("tag");
        boolean removed = jdbi.inTransaction(h -> {
            collections.get(collection).authorize(h, Requests.auth(ctx), id, true);
            return tags.remove(h, id, tag);
        });
        if (!removed) {
            throw Tags.notFound(tag, id);
        }
        ctx.status(204);
    }

    public void removeAll(Context ctx, String collection) {
        String id = ctx.pathParam("id");
        jdbi.useTransaction(h -> {
            collections.get(collection).authorize(h, Requests.auth(ctx), id, true);
            tags.replace(h, id, List.of());
        });
        ctx.status(204);
    }

    private static void respond(Context ctx, int status, List<String> found) {
        ObjectNode body = Json.object();
        body.set("tags", Tags.render(found));
        Requests.respond(ctx, status, body);
    }
}
