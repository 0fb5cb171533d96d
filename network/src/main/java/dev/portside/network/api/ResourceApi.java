package dev.portside.network.api;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portside.common.auth.AuthContext;
import dev.portside.common.http.ApiException;
import dev.portside.common.http.Requests;
import dev.portside.common.json.Json;
import dev.portside.common.paging.Page;
import dev.portside.common.policy.Policy;
import dev.portside.network.NeutronErrors;
import dev.portside.network.Tags;
import dev.portside.network.change.Transactions;
import io.javalin.Javalin;
import io.javalin.http.Context;
import org.jdbi.v3.core.Jdbi;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The HTTP handler every Neutron resource shares: parse the request against the resource's
 * definition, call its {@link ResourceService}, render what it returns (with tags, the caller's
 * readable attributes, {@code fields=}), and stream lists with Neutron's paging links.
 */
public final class ResourceApi<T extends StandardResource> {
    private final ResourceService<T> service;
    private final ResourceDefinition<T> definition;
    private final Transactions tx;
    private final Jdbi jdbi;
    private final Tags tags;
    private final Policy policy;
    private final String collectionUrl;

    public ResourceApi(ResourceService<T> service, Transactions tx, Jdbi jdbi, Tags tags, Policy policy,
                       String baseUrl) {
        this.service = service;
        this.tx = tx;
        this.definition = service.definition();
        this.jdbi = jdbi;
        this.tags = tags;
        this.policy = policy;
        this.collectionUrl = baseUrl + "/v2.0/" + path();
    }

    /** The collection's path under /v2.0: Neutron writes it with dashes ("security-groups"). */
    public String path() {
        return definition.collection().replace('_', '-');
    }

    // As Neutron's API reference names it: {port_id}, {security_group_rule_id}.
    private String idParameter() {
        return definition.member() + "_id";
    }

    public ResourceService<T> service() {
        return service;
    }

    public void register(Javalin app) {
        String collection = "/v2.0/" + path();
        String member = collection + "/{" + idParameter() + "}";
        app.post(collection, this::create);
        app.get(collection, this::list);
        app.get(member, this::show);
        if (!definition.updatable().isEmpty()) {
            app.put(member, this::update);
        }
        app.delete(member, this::delete);
    }

    void create(Context ctx) {
        AuthContext caller = Requests.auth(ctx);
        ObjectNode body = Requests.jsonBody(ctx);
        if (body.has(definition.collection()) && !body.has(definition.member())) {
            createBulk(ctx, caller, body.get(definition.collection()));
            return;
        }
        T created = service.create(caller, definition.forCreate(body));
        respond(ctx, 201, definition.render(created, List.of(), readable(caller)));
    }

    // Neutron's bulk create ({"ports": [{...}, {...}]}): all of them in one transaction, or none.
    private void createBulk(Context ctx, AuthContext caller, JsonNode items) {
        if (!items.isArray() || items.isEmpty()) {
            throw new ApiException(400, "HTTPBadRequest", "Resources required");
        }
        for (JsonNode item : items) {
            if (!item.isObject()) {
                throw NeutronErrors.invalidAttribute(definition.collection(), "each must be an object");
            }
        }
        List<T> created = tx.inTransaction((h, changes) -> {
            List<T> made = new java.util.ArrayList<>();
            for (JsonNode item : items) {
                ObjectNode one = Json.object();
                one.set(definition.member(), item.deepCopy());
                made.add(service.create(caller, definition.forCreate(one)));
            }
            return made;
        });
        Predicate<String> readable = readable(caller);
        ObjectNode response = Json.object();
        ArrayNode list = response.putArray(definition.collection());
        created.forEach(item -> list.add(definition.render(item, List.of(), readable)));
        Requests.respond(ctx, 201, response);
    }

    void show(Context ctx) {
        AuthContext caller = Requests.auth(ctx);
        T found = service.show(caller, ctx.pathParam(idParameter()));
        respond(ctx, 200, ResourceDefinition.select(shown(found, caller), ctx.queryParams("fields")));
    }

    void update(Context ctx) {
        AuthContext caller = Requests.auth(ctx);
        T updated = service.update(caller, ctx.pathParam(idParameter()), Requests.jsonBody(ctx),
                Optional.ofNullable(ctx.header("If-Match")));
        respond(ctx, 200, shown(updated, caller));
    }

    void delete(Context ctx) {
        service.delete(Requests.auth(ctx), ctx.pathParam(idParameter()), Optional.ofNullable(ctx.header("If-Match")));
        ctx.status(204);
    }

    void list(Context ctx) {
        AuthContext caller = Requests.auth(ctx);
        Predicate<String> readable = readable(caller);
        ListRequest request = ListRequest.of(ctx.queryParamMap(), definition,
                attribute -> attribute.readPolicy().map(readable::test).orElse(true));
        Page<T> page = service.list(caller, request);
        Map<String, List<String>> tagsById = definition.taggable()
                ? jdbi.withHandle(h -> tags.of(h, page.items().stream().map(StandardResource::id).toList()))
                : Map.of();
        ctx.status(200).contentType("application/json");
        try (JsonGenerator json = Json.MAPPER.getFactory().createGenerator(ctx.outputStream())) {
            json.writeStartObject();
            json.writeArrayFieldStart(definition.collection());
            for (T item : page.items()) {
                json.writeTree(ResourceDefinition.select(definition.render(item, tagsById.getOrDefault(item.id(), List.of()),
                        readable), request.fields()));
            }
            json.writeEndArray();
            if (request.limit() > 0) {
                json.writeArrayFieldStart(definition.collection() + "_links");
                writeLinks(json, request, page);
                json.writeEndArray();
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // Neutron's links: walking forwards, "next" when more rows follow and "previous" when a marker was
    // given; walking backwards (page_reverse), the other way round.
    private void writeLinks(JsonGenerator json, ListRequest request, Page<T> page) throws IOException {
        if (page.items().isEmpty()) {
            return;
        }
        boolean next = request.pageReverse() ? request.marker().isPresent() : page.more();
        boolean previous = request.pageReverse() ? page.more() : request.marker().isPresent();
        String base = collectionUrl + "?limit=" + request.limit() + request.repeated();
        if (next) {
            link(json, "next", base + "&marker=" + page.items().getLast().id());
        }
        if (previous) {
            link(json, "previous", base + "&marker=" + page.items().getFirst().id() + "&page_reverse=True");
        }
    }

    private static void link(JsonGenerator json, String rel, String href) throws IOException {
        json.writeStartObject();
        json.writeStringField("rel", rel);
        json.writeStringField("href", href);
        json.writeEndObject();
    }

    /** The resource as {@code caller} sees it, with its tags. */
    public ObjectNode shown(T item, AuthContext caller) {
        List<String> itemTags = definition.taggable() ? jdbi.withHandle(h -> tags.of(h, item.id())) : List.of();
        return definition.render(item, itemTags, readable(caller));
    }

    /** Which attribute read rules {@code caller} passes, asked once per rule per request. */
    public Predicate<String> readable(AuthContext caller) {
        Map<String, Boolean> answers = new HashMap<>();
        return rule -> answers.computeIfAbsent(rule, r -> policy.allows(r, caller, Map.of()));
    }

    private void respond(Context ctx, int status, ObjectNode resource) {
        Requests.respond(ctx, status, Json.object().set(definition.member(), resource));
    }
}
