package dev.portside.identity.limit;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portside.common.auth.AuthContext;
import dev.portside.common.db.Constraints;
import dev.portside.common.http.ApiException;
import dev.portside.common.http.Requests;
import dev.portside.common.json.Fields;
import dev.portside.common.json.Json;
import dev.portside.common.policy.Policy;
import dev.portside.identity.IdentityErrors;
import dev.portside.identity.Ids;
import dev.portside.identity.Links;
import dev.portside.identity.Queries;
import dev.portside.identity.catalog.Catalog;
import io.javalin.http.Context;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Keystone's services and unified limits, the part a cloud's quotas are set through for services
 * that read them from Keystone (Glance): {@code /v3/services} (from the catalog),
 * {@code /v3/registered_limits} (a service's default per resource) and {@code /v3/limits} (a
 * project's own), flat model. What {@code openstack registered limit ...} and
 * {@code openstack limit ...} call. Admins write; anyone reads registered limits; a project's
 * readers read its limits.
 */
public final class LimitApi {
    private static final Set<String> REGISTERED = Set.of("service_id", "region_id", "resource_name", "default_limit",
            "description");
    private static final Set<String> LIMIT = Set.of("service_id", "project_id", "domain_id", "region_id", "resource_name",
            "resource_limit", "description");

    private final Jdbi jdbi;
    private final Catalog catalog;
    private final Policy policy;
    private final Links links;

    public LimitApi(Jdbi jdbi, Catalog catalog, Policy policy, Links links) {
        this.jdbi = jdbi;
        this.catalog = catalog;
        this.policy = policy;
        this.links = links;
    }

    public void services(Context ctx) {
        policy.enforce("identity:list_services", Requests.auth(ctx), Map.of());
        Optional<String> name = Queries.text(ctx, "name");
        Optional<String> type = Queries.text(ctx, "type");
        ArrayNode items = Json.array();
        catalog.services().stream().filter(s -> name.map(s.name()::equals).orElse(true))
                .filter(s -> type.map(s.type()::equals).orElse(true)).forEach(s -> items.add(render(s)));
        Requests.respond(ctx, 200, links.list("services", items, "/v3/services"));
    }

    public void service(Context ctx) {
        policy.enforce("identity:get_service", Requests.auth(ctx), Map.of());
        String id = ctx.pathParam("service_id");
        Catalog.Service service = catalog.services().stream().filter(s -> Catalog.id(s).equals(id)).findFirst()
                .orElseThrow(() -> IdentityErrors.notFound("service", id));
        Requests.respond(ctx, 200, Json.object().set("service", render(service)));
    }

    public void model(Context ctx) {
        Requests.auth(ctx);
        Requests.respond(ctx, 200, Json.object().set("model", Json.object().put("name", "flat").put("description",
                "Limit enforcement and validation does not take project hierarchy into consideration.")));
    }

    public void createRegistered(Context ctx) {
        policy.enforce("identity:create_registered_limits", Requests.auth(ctx), Map.of());
        List<Fields> items = items(ctx, "registered_limits", REGISTERED);
        ArrayNode out = Json.array();
        insert(() -> jdbi.useTransaction(h -> {
            for (Fields item : items) {
                String id = Ids.newId();
                h.createUpdate("INSERT INTO identity_registered_limit (id, service_id, region_id, resource_name,"
                                + " default_limit, description) VALUES (:id, :service, :region, :resource, :limit, :description)")
                        .bind("id", id).bind("service", service(item)).bind("region", region(item))
                        .bind("resource", item.requiredName("resource_name", 255))
                        .bind("limit", count(item, "default_limit").orElseThrow(() -> missing("default_limit")))
                        .bind("description", item.nullableString("description", 255).flatMap(d -> d).orElse(null)).execute();
                out.add(registered(h, id).orElseThrow());
            }
        }));
        Requests.respond(ctx, 201, Json.object().set("registered_limits", out));
    }

    public void listRegistered(Context ctx) {
        policy.enforce("identity:list_registered_limits", Requests.auth(ctx), Map.of());
        ArrayNode items = Json.array();
        jdbi.useHandle(h -> query(h, "identity_registered_limit", ctx, Optional.empty()).forEach(items::add));
        Requests.respond(ctx, 200, links.list("registered_limits", items, "/v3/registered_limits"));
    }

    public void showRegistered(Context ctx) {
        policy.enforce("identity:get_registered_limit", Requests.auth(ctx), Map.of());
        String id = ctx.pathParam("registered_limit_id");
        Requests.respond(ctx, 200, Json.object().set("registered_limit", jdbi.withHandle(h -> registered(h, id))
                .orElseThrow(() -> IdentityErrors.notFound("registered limit", id))));
    }

    public void updateRegistered(Context ctx) {
        policy.enforce("identity:update_registered_limit", Requests.auth(ctx), Map.of());
        String id = ctx.pathParam("registered_limit_id");
        Fields fields = Fields.wrapped(Requests.jsonBody(ctx), "registered_limit", Set.of("default_limit", "description"));
        ObjectNode updated = jdbi.inTransaction(h -> {
            registered(h, id).orElseThrow(() -> IdentityErrors.notFound("registered limit", id));
            count(fields, "default_limit").ifPresent(limit -> h.createUpdate(
                    "UPDATE identity_registered_limit SET default_limit = :limit WHERE id = :id")
                    .bind("limit", limit).bind("id", id).execute());
            fields.nullableString("description", 255).ifPresent(d -> h.createUpdate(
                    "UPDATE identity_registered_limit SET description = :d WHERE id = :id")
                    .bind("d", d.orElse(null)).bind("id", id).execute());
            return registered(h, id).orElseThrow();
        });
        Requests.respond(ctx, 200, Json.object().set("registered_limit", updated));
    }

    public void deleteRegistered(Context ctx) {
        policy.enforce("identity:delete_registered_limit", Requests.auth(ctx), Map.of());
        String id = ctx.pathParam("registered_limit_id");
        jdbi.useTransaction(h -> {
            ObjectNode limit = registered(h, id).orElseThrow(() -> IdentityErrors.notFound("registered limit", id));
            boolean referenced = h.createQuery("SELECT count(*) FROM identity_limit WHERE service_id = :s"
                            + " AND region_id = :r AND resource_name = :n")
                    .bind("s", limit.get("service_id").asText()).bind("r", limit.path("region_id").asText(""))
                    .bind("n", limit.get("resource_name").asText()).mapTo(Long.class).one() > 0;
            if (referenced) {
                throw new ApiException(403, "Forbidden", "The registered limit " + id
                        + " cannot be deleted: project limits refer to it.");
            }
            h.createUpdate("DELETE FROM identity_registered_limit WHERE id = :id").bind("id", id).execute();
        });
        ctx.status(204);
    }

    public void createLimits(Context ctx) {
        policy.enforce("identity:create_limits", Requests.auth(ctx), Map.of());
        List<Fields> items = items(ctx, "limits", LIMIT);
        ArrayNode out = Json.array();
        insert(() -> jdbi.useTransaction(h -> {
            for (Fields item : items) {
                if (item.has("domain_id") && !item.node().get("domain_id").isNull()) {
                    throw item.invalidField("domain_id", "domain limits are not supported by Portside");
                }
                String project = item.requiredString("project_id", 64);
                if (h.createQuery("SELECT count(*) FROM identity_project WHERE id = :p").bind("p", project)
                        .mapTo(Long.class).one() == 0) {
                    throw IdentityErrors.notFound("project", project);
                }
                String service = service(item);
                String region = region(item);
                String resource = item.requiredName("resource_name", 255);
                boolean registered = h.createQuery("SELECT count(*) FROM identity_registered_limit WHERE service_id = :s"
                                + " AND region_id = :r AND resource_name = :n")
                        .bind("s", service).bind("r", region).bind("n", resource).mapTo(Long.class).one() > 0;
                if (!registered) {
                    throw new ApiException(403, "Forbidden",
                            "Unable to create a limit that has no corresponding registered limit.");
                }
                String id = Ids.newId();
                h.createUpdate("INSERT INTO identity_limit (id, project_id, service_id, region_id, resource_name,"
                                + " resource_limit, description) VALUES (:id, :project, :service, :region, :resource,"
                                + " :limit, :description)")
                        .bind("id", id).bind("project", project).bind("service", service).bind("region", region)
                        .bind("resource", resource)
                        .bind("limit", count(item, "resource_limit").orElseThrow(() -> missing("resource_limit")))
                        .bind("description", item.nullableString("description", 255).flatMap(d -> d).orElse(null)).execute();
                out.add(limit(h, id).orElseThrow());
            }
        }));
        Requests.respond(ctx, 201, Json.object().set("limits", out));
    }

    public void listLimits(Context ctx) {
        AuthContext caller = Requests.auth(ctx);
        // Admins see every project's limits; others only their own project's (Keystone's list_limits).
        Optional<String> only = policy.allows("identity:list_limits:all", caller, Map.of()) ? Optional.empty()
                : Optional.of(caller.projectId().orElse(""));
        ArrayNode items = Json.array();
        jdbi.useHandle(h -> query(h, "identity_limit", ctx, only).forEach(items::add));
        Requests.respond(ctx, 200, links.list("limits", items, "/v3/limits"));
    }

    public void showLimit(Context ctx) {
        AuthContext caller = Requests.auth(ctx);
        String id = ctx.pathParam("limit_id");
        ObjectNode limit = jdbi.withHandle(h -> limit(h, id)).orElseThrow(() -> IdentityErrors.notFound("limit", id));
        policy.enforce("identity:get_limit", caller, Map.of("target.limit.project_id", limit.get("project_id").asText()));
        Requests.respond(ctx, 200, Json.object().set("limit", limit));
    }

    public void updateLimit(Context ctx) {
        policy.enforce("identity:update_limit", Requests.auth(ctx), Map.of());
        String id = ctx.pathParam("limit_id");
        Fields fields = Fields.wrapped(Requests.jsonBody(ctx), "limit", Set.of("resource_limit", "description"));
        ObjectNode updated = jdbi.inTransaction(h -> {
            limit(h, id).orElseThrow(() -> IdentityErrors.notFound("limit", id));
            count(fields, "resource_limit").ifPresent(limit -> h.createUpdate(
                    "UPDATE identity_limit SET resource_limit = :limit WHERE id = :id").bind("limit", limit).bind("id", id).execute());
            fields.nullableString("description", 255).ifPresent(d -> h.createUpdate(
                    "UPDATE identity_limit SET description = :d WHERE id = :id").bind("d", d.orElse(null)).bind("id", id).execute());
            return limit(h, id).orElseThrow();
        });
        Requests.respond(ctx, 200, Json.object().set("limit", updated));
    }

    public void deleteLimit(Context ctx) {
        policy.enforce("identity:delete_limit", Requests.auth(ctx), Map.of());
        String id = ctx.pathParam("limit_id");
        if (jdbi.inTransaction(h -> h.createUpdate("DELETE FROM identity_limit WHERE id = :id").bind("id", id).execute()) == 0) {
            throw IdentityErrors.notFound("limit", id);
        }
        ctx.status(204);
    }

    private static List<Fields> items(Context ctx, String key, Set<String> allowed) {
        ObjectNode body = Requests.jsonBody(ctx);
        Fields wrapper = Fields.of(body, "", Set.of(key));
        return wrapper.objects(key, allowed).filter(list -> !list.isEmpty())
                .orElseThrow(() -> wrapper.invalidField(key, "a non-empty list of " + key + " is required"));
    }

    private String service(Fields item) {
        String id = item.requiredString("service_id", 64);
        if (catalog.services().stream().noneMatch(s -> Catalog.id(s).equals(id))) {
            throw item.invalidField("service_id", "'" + id + "' is not a service of this cloud");
        }
        return id;
    }

    private String region(Fields item) {
        Optional<String> region = item.nullableString("region_id", 255).flatMap(r -> r);
        if (region.isPresent() && !region.get().equals(catalog.region())) {
            throw item.invalidField("region_id", "'" + region.get() + "' is not a region of this cloud");
        }
        return region.orElse("");
    }

    private static Optional<Long> count(Fields item, String name) {
        Optional<Integer> value = item.integer(name);
        if (value.isPresent() && value.get() < -1) {
            throw item.invalidField(name, value.get() + " is less than the minimum of -1");
        }
        return value.map(Integer::longValue);
    }

    private static ApiException missing(String name) {
        return new ApiException(400, "ValidationError", "Invalid input for field '" + name + "': '" + name
                + "' is a required property");
    }

    private static void insert(Runnable write) {
        try {
            write.run();
        } catch (UnableToExecuteStatementException e) {
            if (Constraints.isUniqueViolation(e)) {
                throw new ApiException(409, "Conflict", "Duplicate entry: that limit exists already.");
            }
            throw e;
        }
    }

    private Optional<ObjectNode> registered(Handle h, String id) {
        return rows(h, "identity_registered_limit", "WHERE id = :id", Map.of("id", id)).stream().findFirst();
    }

    private Optional<ObjectNode> limit(Handle h, String id) {
        return rows(h, "identity_limit", "WHERE id = :id", Map.of("id", id)).stream().findFirst();
    }

    private List<ObjectNode> query(Handle h, String table, Context ctx, Optional<String> project) {
        List<String> where = new ArrayList<>();
        Map<String, Object> params = new LinkedHashMap<>();
        for (String filter : List.of("service_id", "region_id", "resource_name", "project_id")) {
            Optional<String> value = Queries.text(ctx, filter);
            if (filter.equals("project_id") && !table.equals("identity_limit")) {
                continue;
            }
            value.ifPresent(v -> {
                where.add(filter + " = :" + filter);
                params.put(filter, v);
            });
        }
        project.ifPresent(p -> {
            where.add("project_id = :only");
            params.put("only", p);
        });
        return rows(h, table, where.isEmpty() ? "" : "WHERE " + String.join(" AND ", where), params);
    }

    private List<ObjectNode> rows(Handle h, String table, String where, Map<String, Object> params) {
        boolean isLimit = table.equals("identity_limit");
        return h.createQuery("SELECT * FROM " + table + " " + where + " ORDER BY id").bindMap(params).map((rs, c) -> {
            ObjectNode json = Json.object().put("id", rs.getString("id"));
            if (isLimit) {
                json.put("project_id", rs.getString("project_id")).putNull("domain_id");
            }
            json.put("service_id", rs.getString("service_id"));
            String region = rs.getString("region_id");
            if (region.isEmpty()) {
                json.putNull("region_id");
            } else {
                json.put("region_id", region);
            }
            json.put("resource_name", rs.getString("resource_name"));
            json.put(isLimit ? "resource_limit" : "default_limit", rs.getLong(isLimit ? "resource_limit" : "default_limit"));
            json.put("description", rs.getString("description"));
            json.set("links", links.self((isLimit ? "/v3/limits/" : "/v3/registered_limits/") + rs.getString("id")));
            return json;
        }).list();
    }

    private ObjectNode render(Catalog.Service service) {
        ObjectNode json = Json.object().put("id", Catalog.id(service)).put("type", service.type())
                .put("name", service.name()).put("enabled", true).put("description", "");
        json.set("links", links.self("/v3/services/" + Catalog.id(service)));
        return json;
    }
}
