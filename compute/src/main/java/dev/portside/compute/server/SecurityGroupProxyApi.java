package dev.portside.compute.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portside.common.auth.AuthContext;
import dev.portside.common.http.Requests;
import dev.portside.common.json.Fields;
import dev.portside.common.json.Json;
import dev.portside.common.policy.Policy;
import dev.portside.compute.Microversion;
import dev.portside.compute.NovaErrors;
import dev.portside.compute.network.NetworkClient;
import dev.portside.compute.network.NetworkFailure;
import dev.portside.compute.network.SecurityGroupInfo;
import io.javalin.http.Context;
import org.jdbi.v3.core.Jdbi;

import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Nova's security group proxy, {@code /os-security-groups}, {@code /os-security-group-rules} and
 * {@code /servers/{id}/os-security-groups}: the network service's groups in Nova's format (ingress
 * rules only, ports as from/to, a remote group by name), and groups and ingress rules made,
 * changed and removed through it with Nova's checks. Nova serves the proxy only up to 2.35; the
 * CLI still finds groups through it when it adds one to a server.
 */
public final class SecurityGroupProxyApi {
    private static final int LAST_PROXY_VERSION = 35;
    private static final Pattern UUID = Pattern.compile(
            "[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}");

    private final Jdbi jdbi;
    private final ServerStore servers;
    private final ServerApi serverApi;
    private final NetworkClient network;
    private final Policy policy;

    SecurityGroupProxyApi(Jdbi jdbi, ServerStore servers, ServerApi serverApi, NetworkClient network, Policy policy) {
        this.jdbi = jdbi;
        this.servers = servers;
        this.serverApi = serverApi;
        this.network = network;
        this.policy = policy;
    }

    /** GET /os-security-groups: the caller's project's groups (every project's for an admin with all_tenants). */
    public void list(Context ctx) {
        AuthContext caller = proxied(ctx);
        String project = caller.projectId().orElse("");
        policy.enforce("os_compute_api:os-security-groups:get", caller, Map.of("project_id", project));
        boolean everyProject = ctx.queryParam("all_tenants") != null
                && policy.allows("context_is_admin", caller, Map.of());
        Map<String, List<String>> filters = everyProject ? Map.of() : Map.of("project_id", List.of(project));
        respond(ctx, "security_groups", call(() -> network.securityGroups(caller, filters)), caller);
    }

    /** GET /os-security-groups/{id}. */
    public void show(Context ctx) {
        AuthContext caller = proxied(ctx);
        policy.enforce("os_compute_api:os-security-groups:show", caller,
                Map.of("project_id", caller.projectId().orElse("")));
        String id = ctx.pathParam("security_group_id");
        if (!UUID.matcher(id).matches()) {
            throw NovaErrors.badRequest("Security group id should be uuid");
        }
        SecurityGroupInfo group = call(() -> network.securityGroups(caller, Map.of("id", List.of(id)))).stream()
                .findFirst().orElseThrow(() -> NovaErrors.notFound("Security group " + id + " not found."));
        Map<String, SecurityGroupInfo> known = new HashMap<>(Map.of(group.id(), group));
        Requests.respond(ctx, 200, Json.object().set("security_group", format(group, known, caller)));
    }

    /** POST /os-security-groups {"security_group": {"name", "description"}}. */
    public void create(Context ctx) {
        AuthContext caller = proxied(ctx);
        policy.enforce("os_compute_api:os-security-groups:create", caller,
                Map.of("project_id", caller.projectId().orElse("")));
        Fields group = nameAndDescription(ctx);
        SecurityGroupInfo created = call(() -> network.createSecurityGroup(caller, group.requiredString("name", 255),
                group.requiredString("description", 255)));
        Requests.respond(ctx, 200, Json.object().set("security_group", format(created, new HashMap<>(), caller)));
    }

    /** PUT /os-security-groups/{id} {"security_group": {"name", "description"}}. */
    public void update(Context ctx) {
        AuthContext caller = proxied(ctx);
        policy.enforce("os_compute_api:os-security-groups:update", caller,
                Map.of("project_id", caller.projectId().orElse("")));
        String id = existing(caller, ctx.pathParam("security_group_id")).id();
        Fields group = nameAndDescription(ctx);
        SecurityGroupInfo updated = call(() -> network.updateSecurityGroup(caller, id, group.requiredString("name", 255),
                group.requiredString("description", 255)));
        Requests.respond(ctx, 200, Json.object().set("security_group", format(updated, new HashMap<>(), caller)));
    }

    /** DELETE /os-security-groups/{id}: 202; a group Networking will not delete (the default, one in use) is 400. */
    public void delete(Context ctx) {
        AuthContext caller = proxied(ctx);
        policy.enforce("os_compute_api:os-security-groups:delete", caller,
                Map.of("project_id", caller.projectId().orElse("")));
        String id = existing(caller, ctx.pathParam("security_group_id")).id();
        try {
            network.deleteSecurityGroup(caller, id);
        } catch (NetworkFailure e) {
            throw e.status() == 404 ? NovaErrors.notFound("Security group " + id + " not found.")
                    : NovaErrors.badRequest(e.getMessage());
        }
        ctx.status(202);
    }

    /**
     * POST /os-security-group-rules: an ingress rule, as Nova builds one - from a CIDR (0.0.0.0/0 when
     * none) or a source group, with tcp/udp ports 1-65535, or icmp type and code -1 to 255.
     */
    public void createRule(Context ctx) {
        AuthContext caller = proxied(ctx);
        policy.enforce("os_compute_api:os-security-groups:rule:create", caller,
                Map.of("project_id", caller.projectId().orElse("")));
        Fields rule = Fields.of(Requests.jsonBody(ctx), "", java.util.Set.of("security_group_rule"))
                .requiredObject("security_group_rule", java.util.Set.of("parent_group_id", "ip_protocol", "from_port",
                        "to_port", "cidr", "group_id"));
        String parentId = text(rule, "parent_group_id").orElseThrow(() -> NovaErrors.badRequest(
                "Invalid input for field/attribute security_group_rule. 'parent_group_id' is a required property"));
        SecurityGroupInfo parent = existing(caller, parentId);
        Optional<String> groupId = text(rule, "group_id");
        Optional<SecurityGroupInfo> source = groupId.map(id -> existing(caller, id));
        NovaRule asked = NovaRule.of(text(rule, "ip_protocol"), text(rule, "from_port"), text(rule, "to_port"),
                groupId.isPresent() ? Optional.empty() : Optional.of(text(rule, "cidr").orElse("0.0.0.0/0")), groupId);
        if (parent.rules().stream().filter(r -> r.direction().equals("ingress")).map(NovaRule::of)
                .anyMatch(asked::equals)) {
            throw NovaErrors.badRequest("This rule already exists in group " + parent.id());
        }
        SecurityGroupInfo.Rule made = call(() -> network.createSecurityGroupRule(caller, parent.id(), asked.toNetworking()));
        Map<String, SecurityGroupInfo> known = new HashMap<>(Map.of(parent.id(), parent));
        source.ifPresent(s -> known.put(s.id(), s));
        Requests.respond(ctx, 200, Json.object().set("security_group_rule", formatRule(parent.id(), made, known, caller)));
    }

    /** DELETE /os-security-group-rules/{id}: 202. */
    public void deleteRule(Context ctx) {
        AuthContext caller = proxied(ctx);
        policy.enforce("os_compute_api:os-security-groups:rule:delete", caller,
                Map.of("project_id", caller.projectId().orElse("")));
        String id = uuid(ctx.pathParam("security_group_rule_id"));
        if (call(() -> network.groupOfRule(caller, id)).isEmpty()) {
            throw NovaErrors.notFound("Security group rule " + id + " not found.");
        }
        call(() -> {
            network.deleteSecurityGroupRule(caller, id);
            return id;
        });
        ctx.status(202);
    }

    private Fields nameAndDescription(Context ctx) {
        Fields group = Fields.of(Requests.jsonBody(ctx), "", java.util.Set.of("security_group"))
                .requiredObject("security_group", java.util.Set.of("name", "description"));
        group.requiredString("name", 255);
        group.requiredString("description", 255);
        return group;
    }

    private SecurityGroupInfo existing(AuthContext caller, String id) {
        String checked = uuid(id);
        return call(() -> network.securityGroups(caller, Map.of("id", List.of(checked)))).stream().findFirst()
                .orElseThrow(() -> NovaErrors.notFound("Security group " + checked + " not found."));
    }

    private static String uuid(String id) {
        if (!UUID.matcher(id).matches()) {
            throw NovaErrors.badRequest("Security group id should be uuid");
        }
        return id;
    }

    private static Optional<String> text(Fields fields, String name) {
        com.fasterxml.jackson.databind.JsonNode value = fields.node().get(name);
        return value == null || value.isNull() ? Optional.empty() : Optional.of(value.asText());
    }

    /** GET /servers/{id}/os-security-groups: the groups of the server's ports. */
    public void server(Context ctx) {
        AuthContext caller = Requests.auth(ctx);
        Server server = serverApi.visible(caller, ctx.pathParam("server_id"), "os_compute_api:os-security-groups:list");
        List<ServerVif> vifs = jdbi.withHandle(h -> servers.vifs(h, server.id()));
        List<String> ids = vifs.stream().map(vif -> network.findPort(caller, vif.portId())).flatMap(Optional::stream)
                .flatMap(port -> port.securityGroups().stream()).distinct().toList();
        List<SecurityGroupInfo> groups = ids.isEmpty() ? List.of()
                : call(() -> network.securityGroups(caller, Map.of("id", ids)));
        respond(ctx, "security_groups", groups, caller);
    }

    private AuthContext proxied(Context ctx) {
        if (Microversion.of(ctx).atLeast(LAST_PROXY_VERSION + 1)) {
            throw NovaErrors.notFound("The resource could not be found.");
        }
        return Requests.auth(ctx);
    }

    private void respond(Context ctx, String key, List<SecurityGroupInfo> groups, AuthContext caller) {
        Map<String, SecurityGroupInfo> known = new HashMap<>();
        groups.forEach(g -> known.put(g.id(), g));
        ObjectNode body = Json.object();
        ArrayNode items = body.putArray(key);
        groups.stream().sorted(Comparator.comparing(SecurityGroupInfo::projectId).thenComparing(SecurityGroupInfo::name))
                .forEach(g -> items.add(format(g, known, caller)));
        Requests.respond(ctx, 200, body);
    }

    // Nova's _format_security_group over its conversion of a Neutron group.
    private ObjectNode format(SecurityGroupInfo group, Map<String, SecurityGroupInfo> known, AuthContext caller) {
        ObjectNode json = Json.object().put("id", group.id()).put("name", group.name())
                .put("description", group.description()).put("tenant_id", group.projectId());
        ArrayNode rules = json.putArray("rules");
        group.rules().stream().filter(rule -> rule.direction().equals("ingress"))
                .map(rule -> formatRule(group.id(), rule, known, caller)).filter(java.util.Objects::nonNull)
                .forEach(rules::add);
        return json;
    }

    // Nova's _format_security_group_rule; null when its remote group is gone (Nova leaves such a rule out).
    private ObjectNode formatRule(String groupId, SecurityGroupInfo.Rule rule, Map<String, SecurityGroupInfo> known,
                                  AuthContext caller) {
        NovaRule nova = NovaRule.of(rule);
        ObjectNode item = Json.object().put("id", rule.id()).put("parent_group_id", groupId)
                .put("ip_protocol", nova.protocol().orElse(null))
                .put("from_port", nova.from().orElse(null)).put("to_port", nova.to().orElse(null));
        ObjectNode remote = item.putObject("group");
        ObjectNode range = item.putObject("ip_range");
        if (rule.remoteGroupId().isPresent()) {
            Optional<SecurityGroupInfo> source = Optional.ofNullable(known.computeIfAbsent(rule.remoteGroupId().get(),
                    id -> call(() -> network.securityGroups(caller, Map.of("id", List.of(id)))).stream()
                            .findFirst().orElse(null)));
            if (source.isEmpty()) {
                return null;
            }
            remote.put("name", source.get().name()).put("tenant_id", source.get().projectId());
        } else {
            range.put("cidr", nova.cidr().orElse("0.0.0.0/0"));
        }
        return item;
    }

    private static <T> T call(Supplier<T> operation) {
        try {
            return operation.get();
        } catch (NetworkFailure e) {
            throw e.asApiError();
        }
    }
}
