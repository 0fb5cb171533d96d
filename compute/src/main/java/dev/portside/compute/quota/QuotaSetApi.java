package dev.portside.compute.quota;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portside.common.auth.AuthContext;
import dev.portside.common.http.Requests;
import dev.portside.common.json.Json;
import dev.portside.common.policy.Policy;
import dev.portside.common.quota.Quotas;
import dev.portside.compute.Microversion;
import dev.portside.compute.NovaErrors;
import io.javalin.http.Context;
import org.jdbi.v3.core.Jdbi;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Nova's {@code os-quota-sets} (show, detail, defaults, update, revert to defaults) and
 * {@code limits}: what {@code openstack quota show/set} and {@code openstack limits show} call. A
 * project's readers see its quotas; only admins change them.
 */
public final class QuotaSetApi {
    // Shown as Nova shows them before 2.57 (and, for the network ones, before 2.36): the server
    // features they limit (file injection, nova-network) do not exist here, so nothing counts against them.
    private static final Map<String, Long> INJECTION = Map.of("injected_files", 5L,
            "injected_file_content_bytes", 10240L, "injected_file_path_bytes", 255L);
    private static final Map<String, Long> NOVA_NETWORK = Map.of("fixed_ips", -1L, "floating_ips", 10L,
            "security_groups", 10L, "security_group_rules", 20L);

    private final Jdbi jdbi;
    private final Quotas quotas;
    private final Policy policy;

    public QuotaSetApi(Jdbi jdbi, ComputeQuotas quotas, Policy policy) {
        this.jdbi = jdbi;
        this.quotas = quotas.quotas();
        this.policy = policy;
    }

    public void show(Context ctx) {
        String project = readable(ctx);
        ObjectNode set = Json.object().put("id", project);
        put(set, jdbi.withHandle(h -> quotas.limits(h, project)), ctx);
        Requests.respond(ctx, 200, Json.object().set("quota_set", set));
    }

    public void detail(Context ctx) {
        String project = readable(ctx);
        ObjectNode set = Json.object().put("id", project);
        jdbi.useHandle(h -> quotas.details(h, project).forEach((resource, detail) -> set.putObject(resource)
                .put("in_use", detail.used()).put("limit", detail.limit()).put("reserved", 0)));
        legacy(ctx).forEach((resource, limit) -> set.putObject(resource).put("in_use", 0).put("limit", limit)
                .put("reserved", 0));
        Requests.respond(ctx, 200, Json.object().set("quota_set", set));
    }

    public void defaults(Context ctx) {
        String project = ctx.pathParam("tenant_id");
        policy.enforce("os_compute_api:os-quota-sets:defaults", Requests.auth(ctx), Map.of("project_id", project));
        ObjectNode set = Json.object().put("id", project);
        put(set, quotas.defaults(), ctx);
        Requests.respond(ctx, 200, Json.object().set("quota_set", set));
    }

    public void update(Context ctx) {
        String project = ctx.pathParam("tenant_id");
        policy.enforce("os_compute_api:os-quota-sets:update", Requests.auth(ctx), Map.of("project_id", project));
        ObjectNode body = Requests.jsonBody(ctx);
        JsonNode given = body.get("quota_set");
        if (body.size() != 1 || given == null || !given.isObject()) {
            throw NovaErrors.badRequest("Invalid input for field/attribute quota_set. The body must be"
                    + " {\"quota_set\": {resource: limit, ...}}.");
        }
        Map<String, Long> limits = new LinkedHashMap<>();
        given.properties().forEach(entry -> {
            String resource = entry.getKey();
            if (resource.equals("force")) {
                return;
            }
            if (!quotas.defaults().containsKey(resource)) {
                throw NovaErrors.badRequest("Invalid input for field/attribute quota_set. Value: " + given
                        + ". Additional properties are not allowed ('" + resource + "' was unexpected)");
            }
            limits.put(resource, limit(resource, entry.getValue()));
        });
        ObjectNode set = Json.object();
        jdbi.useTransaction(h -> {
            quotas.set(h, project, limits);
            put(set, quotas.limits(h, project), ctx);
        });
        Requests.respond(ctx, 200, Json.object().set("quota_set", set));
    }

    public void delete(Context ctx) {
        String project = ctx.pathParam("tenant_id");
        policy.enforce("os_compute_api:os-quota-sets:delete", Requests.auth(ctx), Map.of("project_id", project));
        jdbi.useTransaction(h -> quotas.reset(h, project));
        ctx.status(202);
    }

    /** GET /limits: the caller's project's absolute limits and usage, in Nova's names. */
    public void limits(Context ctx) {
        AuthContext caller = Requests.auth(ctx);
        String project = caller.projectId().orElseThrow(() -> NovaErrors.badRequest("limits need a project-scoped token"));
        policy.enforce("os_compute_api:limits", caller, Map.of("project_id", project));
        ObjectNode absolute = Json.object();
        jdbi.useHandle(h -> {
            var details = quotas.details(h, project);
            absolute.put("maxTotalInstances", details.get("instances").limit())
                    .put("maxTotalCores", details.get("cores").limit())
                    .put("maxTotalRAMSize", details.get("ram").limit())
                    .put("maxTotalKeypairs", details.get("key_pairs").limit())
                    .put("maxServerMeta", details.get("metadata_items").limit())
                    .put("maxServerGroups", details.get("server_groups").limit())
                    .put("maxServerGroupMembers", details.get("server_group_members").limit())
                    .put("totalInstancesUsed", details.get("instances").used())
                    .put("totalCoresUsed", details.get("cores").used())
                    .put("totalRAMUsed", details.get("ram").used())
                    .put("totalServerGroupsUsed", details.get("server_groups").used());
            // Before 2.36 Nova still shows its nova-network limits, and image metadata's before 2.39.
            Microversion version = Microversion.of(ctx);
            if (!version.atLeast(57)) {
                absolute.put("maxPersonality", INJECTION.get("injected_files"))
                        .put("maxPersonalitySize", INJECTION.get("injected_file_content_bytes"));
            }
            if (!version.atLeast(36)) {
                absolute.put("maxSecurityGroups", NOVA_NETWORK.get("security_groups"))
                        .put("maxSecurityGroupRules", NOVA_NETWORK.get("security_group_rules"))
                        .put("maxTotalFloatingIps", NOVA_NETWORK.get("floating_ips"))
                        .put("totalSecurityGroupsUsed", 0).put("totalFloatingIpsUsed", 0);
            }
            if (!version.atLeast(39)) {
                absolute.put("maxImageMeta", details.get("metadata_items").limit());
            }
        });
        ObjectNode limits = Json.object();
        limits.putArray("rate");
        limits.set("absolute", absolute);
        Requests.respond(ctx, 200, Json.object().set("limits", limits));
    }

    private String readable(Context ctx) {
        String project = ctx.pathParam("tenant_id");
        policy.enforce("os_compute_api:os-quota-sets:show", Requests.auth(ctx), Map.of("project_id", project));
        return project;
    }

    private static void put(ObjectNode set, Map<String, Long> limits, Context ctx) {
        limits.forEach(set::put);
        legacy(ctx).forEach(set::put);
    }

    private static Map<String, Long> legacy(Context ctx) {
        Map<String, Long> legacy = new LinkedHashMap<>();
        if (!Microversion.of(ctx).atLeast(57)) {
            legacy.putAll(INJECTION);
        }
        if (!Microversion.of(ctx).atLeast(36)) {
            legacy.putAll(NOVA_NETWORK);
        }
        return legacy;
    }

    // Nova's quota schema: an integer from -1 up (strings of digits too, as older clients send).
    private static long limit(String resource, JsonNode value) {
        long limit = Quotas.parseLimit(value).orElseThrow(() -> NovaErrors.badRequest("Invalid input for field/attribute "
                + resource + ". Value: " + value + ". " + value + " is not of type 'integer', 'string'"));
        if (limit < Quotas.UNLIMITED) {
            throw NovaErrors.badRequest("Invalid input for field/attribute " + resource + ". Value: " + limit
                    + ". " + limit + " is less than the minimum of -1");
        }
        return limit;
    }
}
