package dev.portside.identity.role;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portside.common.db.Constraints;
import dev.portside.common.http.Requests;
import dev.portside.common.json.Fields;
import dev.portside.common.json.Json;
import dev.portside.common.policy.Policy;
import dev.portside.identity.IdentityErrors;
import dev.portside.identity.Ids;
import dev.portside.identity.Links;
import dev.portside.identity.Queries;
import io.javalin.http.Context;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

import java.util.Map;
import java.util.Set;

/** {@code /v3/roles}: global roles. */
public final class RoleApi {
    private static final Set<String> CREATE = Set.of("name", "description", "domain_id", "options");

    private final Jdbi jdbi;
    private final RoleStore store;
    private final Policy policy;
    private final Links links;

    public RoleApi(Jdbi jdbi, RoleStore store, Policy policy, Links links) {
        this.jdbi = jdbi;
        this.store = store;
        this.policy = policy;
        this.links = links;
    }

    public void create(Context ctx) {
        Fields fields = Fields.wrapped(Requests.jsonBody(ctx), "role", CREATE);
        String name = fields.requiredName("name", 255);
        if (fields.has("domain_id") && !fields.node().get("domain_id").isNull()) {
            throw fields.invalidField("domain_id", "domain-specific roles are not supported by Portside");
        }
        fields.object("options", Set.of());
        policy.enforce("identity:create_role", Requests.auth(ctx), Map.of());
        Role role = new Role(Ids.newId(), name, fields.nullableString("description", 255).flatMap(d -> d));
        try {
            jdbi.useTransaction(h -> store.insert(h, role));
        } catch (UnableToExecuteStatementException e) {
            throw Constraints.isUniqueViolation(e) ? IdentityErrors.duplicate("role", name, "") : e;
        }
        Requests.respond(ctx, 201, Json.object().set("role", render(role)));
    }

    public void list(Context ctx) {
        policy.enforce("identity:list_roles", Requests.auth(ctx), Map.of());
        ArrayNode items = Json.array();
        jdbi.withHandle(h -> store.roles(h, Queries.text(ctx, "name"))).forEach(r -> items.add(render(r)));
        Requests.respond(ctx, 200, links.list("roles", items, "/v3/roles"));
    }

    public void show(Context ctx) {
        String id = ctx.pathParam("role_id");
        policy.enforce("identity:get_role", Requests.auth(ctx), Map.of());
        Role role = jdbi.withHandle(h -> store.role(h, id)).orElseThrow(() -> IdentityErrors.notFound("role", id));
        Requests.respond(ctx, 200, Json.object().set("role", render(role)));
    }

    public void delete(Context ctx) {
        String id = ctx.pathParam("role_id");
        policy.enforce("identity:delete_role", Requests.auth(ctx), Map.of());
        if (!jdbi.inTransaction(h -> store.delete(h, id))) {
            throw IdentityErrors.notFound("role", id);
        }
        ctx.status(204);
    }

    ObjectNode render(Role role) {
        ObjectNode json = Json.object().put("id", role.id()).put("name", role.name()).putNull("domain_id");
        role.description().ifPresentOrElse(d -> json.put("description", d), () -> json.putNull("description"));
        json.putObject("options");
        json.set("links", links.self("/v3/roles/" + role.id()));
        return json;
    }
}
