package dev.portside.network.quota;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portside.common.auth.AuthContext;
import dev.portside.common.http.ApiException;
import dev.portside.common.http.Requests;
import dev.portside.common.json.Json;
import dev.portside.common.policy.Policy;
import dev.portside.common.quota.Quotas;
import dev.portside.network.NeutronErrors;
import io.javalin.http.Context;
import org.jdbi.v3.core.Jdbi;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Neutron's {@code quotas} and {@code quota_details} extensions: {@code /v2.0/quotas} lists the
 * projects with their own limits (admins), a project's limits, defaults and usage are readable by its
 * readers, and only admins set or reset them - what {@code openstack quota show/set/list} calls.
 */
public final class QuotaApi {
    // What openstack quota set sends beside the limits; Portside always checks a new limit against
    // nothing (Neutron's check_limit=False), so both are accepted and change nothing.
    private static final Set<String> FLAGS = Set.of("force", "check_limit");

    private final Jdbi jdbi;
    private final Quotas quotas;
    private final Policy policy;

    public QuotaApi(Jdbi jdbi, NetworkQuotas quotas, Policy policy) {
        this.jdbi = jdbi;
        this.quotas = quotas.quotas();
        this.policy = policy;
    }

    public void list(Context ctx) {
        policy.enforce("get_quota:all", Requests.auth(ctx), Map.of());
        ObjectNode body = Json.object();
        ArrayNode list = body.putArray("quotas");
        jdbi.useHandle(h -> quotas.projectsWithOverrides(h).forEach(project -> {
            ObjectNode quota = limits(quotas.limits(h, project));
            quota.put("project_id", project).put("tenant_id", project);
            list.add(quota);
        }));
        Requests.respond(ctx, 200, body);
    }

    public void show(Context ctx) {
        String project = readable(ctx);
        Requests.respond(ctx, 200, Json.object().set("quota", limits(jdbi.withHandle(h -> quotas.limits(h, project)))));
    }

    public void defaults(Context ctx) {
        readable(ctx);
        Requests.respond(ctx, 200, Json.object().set("quota", limits(quotas.defaults())));
    }

    public void details(Context ctx) {
        String project = readable(ctx);
        ObjectNode quota = Json.object();
        jdbi.useHandle(h -> quotas.details(h, project).forEach((resource, detail) -> quota.putObject(resource)
                .put("used", detail.used()).put("limit", detail.limit()).put("reserved", 0)));
        Requests.respond(ctx, 200, Json.object().set("quota", quota));
    }

    public void update(Context ctx) {
        String project = ctx.pathParam("project_id");
        policy.enforce("update_quota", Requests.auth(ctx), Map.of("project_id", project));
        ObjectNode body = Requests.jsonBody(ctx);
        JsonNode quota = body.get("quota");
        if (body.size() != 1 || quota == null || !quota.isObject()) {
            throw NeutronErrors.invalidInput("the body must be {\"quota\": {resource: limit, ...}}.");
        }
        Map<String, Long> limits = new LinkedHashMap<>();
        quota.properties().forEach(entry -> {
            String resource = entry.getKey();
            if (FLAGS.contains(resource)) {
                return;
            }
            if (!quotas.defaults().containsKey(resource)) {
                throw new ApiException(400, "HTTPBadRequest", "Unrecognized attribute(s) '" + resource + "'");
            }
            limits.put(resource, limit(resource, entry.getValue()));
        });
        ObjectNode answer = Json.object();
        jdbi.useTransaction(h -> {
            quotas.set(h, project, limits);
            answer.set("quota", limits(quotas.limits(h, project)));
        });
        Requests.respond(ctx, 200, answer);
    }

    public void delete(Context ctx) {
        String project = ctx.pathParam("project_id");
        policy.enforce("delete_quota", Requests.auth(ctx), Map.of("project_id", project));
        jdbi.useTransaction(h -> quotas.reset(h, project));
        ctx.status(204);
    }

    private String readable(Context ctx) {
        AuthContext caller = Requests.auth(ctx);
        String project = ctx.pathParam("project_id");
        policy.enforce("get_quota", caller, Map.of("project_id", project));
        return project;
    }

    // Neutron's convert_to_int plus its ">= -1" check; strings of digits are what older clients send.
    private static long limit(String resource, JsonNode value) {
        long limit = Quotas.parseLimit(value).orElseThrow(() ->
                NeutronErrors.invalidAttribute(resource, "'" + value.asText() + "' is not an integer"));
        if (limit < Quotas.UNLIMITED) {
            throw NeutronErrors.invalidAttribute(resource, "'" + limit + "' should be greater than or equal to -1");
        }
        return limit;
    }

    private static ObjectNode limits(Map<String, Long> limits) {
        ObjectNode quota = Json.object();
        limits.forEach(quota::put);
        return quota;
    }
}
