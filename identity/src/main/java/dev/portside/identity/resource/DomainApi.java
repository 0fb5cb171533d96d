package dev.portside.identity.resource;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.portside.common.http.Requests;
import dev.portside.common.json.Json;
import dev.portside.common.policy.Policy;
import dev.portside.identity.IdentityErrors;
import dev.portside.identity.Links;
import io.javalin.http.Context;
import org.jdbi.v3.core.Jdbi;

import java.util.Map;

/** {@code /v3/domains}: Portside has the Default domain and lists or shows domains. */
public final class DomainApi {
    private final Jdbi jdbi;
    private final ResourceStore store;
    private final Policy policy;
    private final Links links;
    private final ResourceJson json;

    public DomainApi(Jdbi jdbi, ResourceStore store, Policy policy, Links links) {
        this.jdbi = jdbi;
        this.store = store;
        this.policy = policy;
        this.links = links;
        this.json = new ResourceJson(links);
    }

    public void list(Context ctx) {
        policy.enforce("identity:list_domains", Requests.auth(ctx), Map.of());
        ArrayNode items = Json.array();
        jdbi.withHandle(store::domains).stream()
                .filter(d -> ctx.queryParam("name") == null || d.name().equals(ctx.queryParam("name")))
                .forEach(d -> items.add(json.domain(d)));
        Requests.respond(ctx, 200, links.list("domains", items, "/v3/domains"));
    }

    public void show(Context ctx) {
        String id = ctx.pathParam("domain_id");
        policy.enforce("identity:get_domain", Requests.auth(ctx), Map.of("target.domain.id", id));
        Domain domain = jdbi.withHandle(h -> store.domain(h, id))
                .orElseThrow(() -> IdentityErrors.notFound("domain", id));
        Requests.respond(ctx, 200, Json.object().set("domain", json.domain(domain)));
    }
}
