package dev.portside.compute.servergroup;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portside.common.auth.AuthContext;
import dev.portside.common.http.ApiException;
import dev.portside.common.http.Requests;
import dev.portside.common.json.Fields;
import dev.portside.common.json.Json;
import dev.portside.common.policy.Policy;
import dev.portside.compute.Microversion;
import dev.portside.compute.NovaErrors;
import dev.portside.compute.NovaQuery;
import dev.portside.compute.quota.ComputeQuotas;
import io.javalin.http.Context;
import org.jdbi.v3.core.Jdbi;

import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * {@code /os-server-groups} as Nova serves it up to 2.63: a group has one policy in a list
 * ("policies"), soft policies from 2.15, its owner from 2.13; the members are the servers booted
 * with the scheduler hint {@code group}. Nova's server_groups quota limits a project's groups.
 */
public final class ServerGroupApi {
    private final Jdbi jdbi;
    private final ServerGroupStore groups;
    private final Policy policy;
    private final ComputeQuotas quotas;
    private final Clock clock;

    public ServerGroupApi(Jdbi jdbi, ServerGroupStore groups, Policy policy, ComputeQuotas quotas, Clock clock) {
        this.jdbi = jdbi;
        this.groups = groups;
        this.policy = policy;
        this.quotas = quotas;
        this.clock = clock;
    }

    public void create(Context ctx) {
        AuthContext caller = Requests.auth(ctx);
        Microversion version = Microversion.of(ctx);
        String project = caller.projectId().orElseThrow(() -> ApiException.forbidden("Creating a server group needs a"
                + " project-scoped token."));
        policy.enforce("os_compute_api:os-server-groups:create", caller, Map.of("project_id", project,
                "user_id", caller.userId()));
        // From 2.64 one "policy" and its "rules" replace the one-element "policies" list.
        boolean v264 = version.atLeast(64);
        Fields group = Fields.of(Requests.jsonBody(ctx), "", Set.of("server_group"))
                .requiredObject("server_group", v264 ? Set.of("name", "policy", "rules") : Set.of("name", "policies"));
        String name = group.requiredString("name", 255);
        if (name.isBlank()) {
            throw NovaErrors.badRequest("Invalid input for field/attribute name. Value: " + name + ". '" + name
                    + "' is too short");
        }
        String chosen = v264 ? policy(group) : policy(group.node().get("policies"), version);
        java.util.OptionalInt max = v264 ? rules(group, chosen) : java.util.OptionalInt.empty();
        ServerGroup created = new ServerGroup(UUID.randomUUID().toString(), project, caller.userId(), name, chosen,
                max, List.of(), clock.instant().truncatedTo(ChronoUnit.SECONDS));
        jdbi.useTransaction(h -> {
            quotas.claimServerGroup(h, project, groups);
            groups.insert(h, created);
        });
        Requests.respond(ctx, 200, Json.object().set("server_group", view(created, version)));
    }

    public void list(Context ctx) {
        AuthContext caller = Requests.auth(ctx);
        String project = caller.projectId().orElse("");
        policy.enforce("os_compute_api:os-server-groups:index", caller, Map.of("project_id", project));
        boolean every = Optional.ofNullable(ctx.queryParam("all_projects")).map(ServerGroupApi::isTrue).orElse(false);
        if (every) {
            policy.enforce("os_compute_api:os-server-groups:index:all_projects", caller, Map.of("project_id", project));
        }
        List<ServerGroup> found = jdbi.withHandle(h -> groups.list(h, every ? Optional.empty() : Optional.of(project)));
        Microversion version = Microversion.of(ctx);
        ObjectNode body = Json.object();
        ArrayNode items = body.putArray("server_groups");
        int offset = Optional.ofNullable(ctx.queryParam("offset")).map(v -> NovaQuery.nonNegativeInteger("offset", v)).orElse(0);
        int limit = Optional.ofNullable(ctx.queryParam("limit")).map(v -> NovaQuery.nonNegativeInteger("limit", v)).orElse(Integer.MAX_VALUE);
        found.stream().skip(offset).limit(limit).forEach(g -> items.add(view(g, version)));
        Requests.respond(ctx, 200, body);
    }

    public void show(Context ctx) {
        AuthContext caller = Requests.auth(ctx);
        ServerGroup group = visible(caller, ctx.pathParam("server_group_id"), "os_compute_api:os-server-groups:show");
        Requests.respond(ctx, 200, Json.object().set("server_group", view(group, Microversion.of(ctx))));
    }

    public void delete(Context ctx) {
        AuthContext caller = Requests.auth(ctx);
        ServerGroup group = visible(caller, ctx.pathParam("server_group_id"), "os_compute_api:os-server-groups:delete");
        jdbi.useTransaction(h -> groups.delete(h, group.id()));
        ctx.status(204);
    }

    /**
     * The group a boot's scheduler hint names, if the caller's project may use it: as in Nova, any
     * other group is refused before a server exists.
     */
    public ServerGroup forBoot(AuthContext caller, String groupId) {
        return jdbi.withHandle(h -> groups.find(h, groupId))
                .filter(g -> policy.allows("os_compute_api:os-server-groups:show", caller, g.target()))
                .orElseThrow(() -> NovaErrors.badRequest("Invalid server group: " + groupId + " could not be found."));
    }

    /**
     * In the transaction that creates {@code serverIds}, after the project's quota claim: the group's
     * member quota, then the new members (rows of servers already inserted).
     */
    public void checkRoom(org.jdbi.v3.core.Handle h, ServerGroup group, int count) {
        quotas.claimGroupMembers(h, group.projectId(), group.id(), count, groups);
    }

    /** The ids of the groups {@code serverId} is in (one at most, as in Nova), for the server's view from 2.71. */
    public java.util.List<String> groupsOf(String serverId) {
        return jdbi.withHandle(h -> groups.ofServer(h, serverId)).map(ServerGroup::id).stream().toList();
    }

    public void admit(org.jdbi.v3.core.Handle h, ServerGroup group, String serverId) {
        groups.addMember(h, group.id(), serverId);
    }

    private ServerGroup visible(AuthContext caller, String id, String rule) {
        ServerGroup group = jdbi.withHandle(h -> groups.find(h, id))
                .filter(g -> policy.allows("os_compute_api:os-server-groups:show", caller, g.target()))
                .orElseThrow(() -> NovaErrors.notFound("Instance group " + id + " could not be found."));
        policy.enforce(rule, caller, group.target());
        return group;
    }

    // "policies": exactly one of the policies the microversion knows.
    private static String policy(JsonNode policies, Microversion version) {
        Set<String> known = new java.util.TreeSet<>(ServerGroup.HARD_POLICIES);
        if (version.atLeast(15)) {
            known.addAll(ServerGroup.SOFT_POLICIES);
        }
        if (policies == null || !policies.isArray() || policies.size() != 1 || !policies.get(0).isTextual()
                || !known.contains(policies.get(0).asText())) {
            throw NovaErrors.badRequest("Invalid input for field/attribute policies. Value: " + policies
                    + ". 'policies' is a list of exactly one of " + known);
        }
        return policies.get(0).asText();
    }

    // 2.64's "policy": one of the four; required.
    private static String policy(Fields group) {
        String chosen = group.requiredString("policy", 255);
        Set<String> known = new java.util.TreeSet<>(ServerGroup.HARD_POLICIES);
        known.addAll(ServerGroup.SOFT_POLICIES);
        if (!known.contains(chosen)) {
            throw NovaErrors.badRequest("Invalid input for field/attribute policy. Value: " + chosen + ". '" + chosen
                    + "' is not one of " + known);
        }
        return chosen;
    }

    // 2.64's "rules": {"max_server_per_host": N >= 1}, which only anti-affinity takes.
    private static java.util.OptionalInt rules(Fields group, String chosen) {
        Optional<Fields> rules = group.object("rules", Set.of("max_server_per_host"));
        if (rules.isEmpty() || !rules.get().has("max_server_per_host")) {
            return java.util.OptionalInt.empty();
        }
        if (!chosen.equals(ServerGroup.ANTI_AFFINITY)) {
            throw NovaErrors.badRequest("Only anti-affinity policy supports \"max_server_per_host\" rule.");
        }
        int max = rules.get().integer("max_server_per_host").orElseThrow();
        if (max < 1) {
            throw NovaErrors.badRequest("Invalid input for field/attribute max_server_per_host. Value: " + max + ". "
                    + max + " is less than the minimum of 1");
        }
        return java.util.OptionalInt.of(max);
    }

    private static ObjectNode view(ServerGroup group, Microversion version) {
        ObjectNode json = Json.object().put("id", group.id()).put("name", group.name());
        if (version.atLeast(64)) {
            json.put("policy", group.policy());
            ObjectNode rules = json.putObject("rules");
            group.maxServerPerHost().ifPresent(max -> rules.put("max_server_per_host", max));
        } else {
            json.putArray("policies").add(group.policy());
        }
        ArrayNode members = json.putArray("members");
        group.members().forEach(members::add);
        if (!version.atLeast(64)) {
            json.putObject("metadata");
        }
        if (version.atLeast(13)) {
            json.put("project_id", group.projectId()).put("user_id", group.userId());
        }
        return json;
    }

    private static boolean isTrue(String value) {
        return Set.of("1", "true", "t", "yes", "y", "on").contains(value.toLowerCase(java.util.Locale.ROOT));
    }
}
