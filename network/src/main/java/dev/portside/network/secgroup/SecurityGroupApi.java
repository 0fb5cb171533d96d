package dev.portside.network.secgroup;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portside.common.auth.AuthContext;
import dev.portside.common.http.ApiException;
import dev.portside.common.http.Requests;
import dev.portside.common.json.Fields;
import dev.portside.common.json.Json;
import dev.portside.common.policy.Policy;
import dev.portside.network.quota.NetworkQuotas;
import dev.portside.network.ListQuery;
import dev.portside.network.StandardAttributes;
import dev.portside.network.Tags;
import dev.portside.network.firewall.FirewallSync;
import dev.portside.network.net.NetworkStore;
import io.javalin.http.Context;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** {@code /v2.0/security-groups} and {@code /v2.0/security-group-rules}. */
public final class SecurityGroupApi {
    private static final Set<String> GROUP_CREATE = Set.of("name", "description", "stateful", "tenant_id", "project_id");
    private static final Set<String> GROUP_UPDATE = Set.of("name", "description");
    private static final Set<String> RULE_CREATE = Set.of("security_group_id", "direction", "ethertype", "protocol",
            "port_range_min", "port_range_max", "remote_ip_prefix", "remote_group_id", "description", "tenant_id",
            "project_id");

    private final Jdbi jdbi;
    private final SecurityGroupStore store;
    private final SecurityGroups groups;
    private final Policy policy;
    private final Clock clock;
    private final String baseUrl;
    private final Tags tags;

    private final FirewallSync firewall;

    public SecurityGroupApi(Jdbi jdbi, SecurityGroupStore store, SecurityGroups groups, Tags tags, Policy policy,
                            Clock clock, String baseUrl, FirewallSync firewall, NetworkQuotas quotas) {
        this.quotas = quotas;
        this.firewall = firewall;
        this.tags = tags;
        this.jdbi = jdbi;
        this.store = store;
        this.groups = groups;
        this.policy = policy;
        this.clock = clock;
        this.baseUrl = baseUrl;
    }

    private final NetworkQuotas quotas;

    public void create(Context ctx) {
        AuthContext caller = Requests.auth(ctx);
        Fields fields = Fields.wrapped(Requests.jsonBody(ctx), "security_group", GROUP_CREATE);
        String project = StandardAttributes.owner(fields, caller, policy);
        String name = StandardAttributes.text(fields, "name").orElse("");
        if (name.equals("default")) {
            throw new ApiException(409, "SecurityGroupDefaultAlreadyExists", "Default security group already exists.");
        }
        if (!fields.bool("stateful").orElse(true)) {
            throw dev.portside.network.NeutronErrors.invalidInput("stateless security groups are not supported by Portside");
        }
        Instant now = NetworkStore.now(clock);
        SecurityGroup created = jdbi.inTransaction(h -> {
            quotas.claim(h, project, "security_group", 1);
            groups.ensureDefault(h, project);
            String id = StandardAttributes.newId();
            // Neutron gives every new group the same egress rules as the default group.
            SecurityGroup group = new SecurityGroup(id, project, name, StandardAttributes.text(fields, "description").orElse(""),
                    true, List.of(egress(id, project, "IPv4", now), egress(id, project, "IPv6", now)), now, now, 1);
            policy.enforce("create_security_group", caller, group.target());
            store.insert(h, group);
            return group;
        });
        Requests.respond(ctx, 201, Json.object().set("security_group", render(created)));
    }

    public void list(Context ctx) {
        AuthContext caller = Requests.auth(ctx);
        ListQuery query = ListQuery.of(ctx);
        List<ObjectNode> items = jdbi.inTransaction(h -> {
            caller.projectId().ifPresent(project -> groups.ensureDefault(h, project));
            return tags.fill(h, store.visible(h, StandardAttributes.listScope(policy, caller)).stream()
                    .filter(g -> policy.allows("get_security_group", caller, g.target()))
                    .map(SecurityGroupApi::render).toList());
        });
        Requests.respond(ctx, 200, query.respond("security_groups", items, baseUrl + "/v2.0/security-groups"));
    }

    public void show(Context ctx) {
        AuthContext caller = Requests.auth(ctx);
        ObjectNode json = jdbi.withHandle(h -> tags.fill(h, render(visible(h, caller, ctx.pathParam("security_group_id")))));
        Requests.respond(ctx, 200, Json.object().set("security_group", ListQuery.of(ctx).select(json)));
    }

    public void update(Context ctx) {
        AuthContext caller = Requests.auth(ctx);
        Fields fields = Fields.wrapped(Requests.jsonBody(ctx), "security_group", GROUP_UPDATE);
        SecurityGroup updated = jdbi.inTransaction(h -> {
            SecurityGroup group = visible(h, caller, ctx.pathParam("security_group_id"));
            policy.enforce("update_security_group", caller, group.target());
            StandardAttributes.checkRevision(ctx, group.revisionNumber());
            Optional<String> name = StandardAttributes.text(fields, "name");
            if (name.isPresent() && store.isDefault(h, group.id()) && !name.get().equals("default")) {
                throw new ApiException(409, "SecurityGroupCannotUpdateDefault", "Updating default security group not allowed.");
            }
            SecurityGroup changed = new SecurityGroup(group.id(), group.projectId(), name.orElse(group.name()),
                    StandardAttributes.text(fields, "description").orElse(group.description()), group.stateful(),
                    group.rules(), group.createdAt(), NetworkStore.now(clock), group.revisionNumber() + 1);
            store.update(h, changed);
            return changed;
        });
        Requests.respond(ctx, 200, Json.object().set("security_group", render(updated)));
    }

    public void delete(Context ctx) {
        AuthContext caller = Requests.auth(ctx);
        jdbi.useTransaction(h -> {
            SecurityGroup group = visible(h, caller, ctx.pathParam("security_group_id"));
            policy.enforce("delete_security_group", caller, group.target());
            if (store.isDefault(h, group.id()) && !policy.allows("context_is_admin", caller, java.util.Map.of())) {
                throw new ApiException(409, "SecurityGroupCannotRemoveDefault", "Removing default security group not allowed.");
            }
            if (store.inUse(h, group.id())) {
                throw new ApiException(409, "SecurityGroupInUse", "Security Group " + group.id() + " in use.");
            }
            tags.replace(h, group.id(), List.of());
            store.delete(h, group.id());
        });
        ctx.status(204);
    }

    public void createRule(Context ctx) {
        AuthContext caller = Requests.auth(ctx);
        Fields fields = Fields.wrapped(Requests.jsonBody(ctx), "security_group_rule", RULE_CREATE);
        String groupId = StandardAttributes.uuid("security_group_id", fields.requiredString("security_group_id", 36));
        String direction = RuleValidator.direction(fields.requiredString("direction", 8));
        String ethertype = RuleValidator.ethertype(fields.string("ethertype", 8));
        Optional<String> protocol = RuleValidator.protocol(protocolText(fields));
        Optional<Integer> min = fields.integer("port_range_min");
        Optional<Integer> max = fields.integer("port_range_max");
        RuleValidator.ports(protocol, min, max);
        if (protocol.isPresent() && (protocol.get().equals("tcp") || protocol.get().equals("udp")) && min.isPresent()
                && max.isEmpty()) {
            max = min;
        }
        Optional<String> prefix = RuleValidator.remotePrefix(fields.nullableString("remote_ip_prefix", 64).flatMap(p -> p),
                ethertype);
        Optional<String> remoteGroup = fields.nullableString("remote_group_id", 36).flatMap(g -> g)
                .map(g -> StandardAttributes.uuid("remote_group_id", g));
        if (prefix.isPresent() && remoteGroup.isPresent()) {
            throw new ApiException(400, "SecurityGroupRemoteGroupAndRemoteIpPrefix",
                    "Only remote_ip_prefix or remote_group_id may be provided.");
        }
        Optional<Integer> portMax = max;
        Instant now = NetworkStore.now(clock);
        SecurityGroupRule created = jdbi.inTransaction(h -> {
            SecurityGroup group = visible(h, caller, groupId);
            policy.enforce("create_security_group_rule", caller, group.target());
            quotas.claim(h, group.projectId(), "security_group_rule", 1);
            remoteGroup.ifPresent(remote -> visible(h, caller, remote));
            SecurityGroupRule rule = new SecurityGroupRule(StandardAttributes.newId(), groupId, group.projectId(), direction,
                    ethertype, protocol, min, portMax, prefix, remoteGroup,
                    StandardAttributes.text(fields, "description").orElse(""), now, now, 1);
            for (SecurityGroupRule existing : group.rules()) {
                if (existing.sameTrafficAs(rule)) {
                    throw new ApiException(409, "SecurityGroupRuleExists", "Security group rule already exists. Rule id is "
                            + existing.id() + ".");
                }
            }
            store.insertRule(h, rule);
            return rule;
        });
        firewall.sync();
        Requests.respond(ctx, 201, Json.object().set("security_group_rule", render(created)));
    }

    public void listRules(Context ctx) {
        AuthContext caller = Requests.auth(ctx);
        ListQuery query = ListQuery.of(ctx);
        List<ObjectNode> items = jdbi.withHandle(h -> store.visibleRules(h, StandardAttributes.listScope(policy, caller))
                .stream().filter(r -> policy.allows("get_security_group_rule", caller, r.target()))
                .map(SecurityGroupApi::render).toList());
        Requests.respond(ctx, 200, query.respond("security_group_rules", items, baseUrl + "/v2.0/security-group-rules"));
    }

    public void showRule(Context ctx) {
        AuthContext caller = Requests.auth(ctx);
        SecurityGroupRule rule = jdbi.withHandle(h -> visibleRule(h, caller, ctx.pathParam("rule_id")));
        Requests.respond(ctx, 200, Json.object().set("security_group_rule", ListQuery.of(ctx).select(render(rule))));
    }

    public void deleteRule(Context ctx) {
        AuthContext caller = Requests.auth(ctx);
        jdbi.useTransaction(h -> {
            SecurityGroupRule rule = visibleRule(h, caller, ctx.pathParam("rule_id"));
            policy.enforce("delete_security_group_rule", caller, rule.target());
            store.deleteRule(h, rule.id());
        });
        firewall.sync();
        ctx.status(204);
    }

    /** Tags of a group: seen by whoever sees it, changed by whoever may update it. */
    public void authorizeTags(Handle h, AuthContext caller, String id, boolean change) {
        SecurityGroup group = visible(h, caller, id);
        if (change) {
            policy.enforce("update_security_group", caller, group.target());
        }
    }

    private SecurityGroup visible(Handle h, AuthContext caller, String id) {
        return groups.visible(h, caller, id);
    }

    private SecurityGroupRule visibleRule(Handle h, AuthContext caller, String id) {
        return store.rule(h, id).filter(r -> policy.allows("get_security_group_rule", caller, r.target()))
                .orElseThrow(() -> new ApiException(404, "SecurityGroupRuleNotFound", "Security group rule " + id
                        + " does not exist"));
    }

    // Neutron accepts the protocol as a name or as a number, in a string or not.
    private static Optional<String> protocolText(Fields fields) {
        var value = fields.node().get("protocol");
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (value.isIntegralNumber()) {
            return Optional.of(value.asText());
        }
        return fields.string("protocol", 40);
    }

    private static SecurityGroupRule egress(String groupId, String projectId, String ethertype, Instant now) {
        return new SecurityGroupRule(StandardAttributes.newId(), groupId, projectId, "egress", ethertype, Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), "", now, now, 1);
    }

    public static ObjectNode render(SecurityGroup g) {
        ObjectNode json = Json.object().put("id", g.id()).put("name", g.name()).put("stateful", g.stateful())
                .put("shared", false);
        ArrayNode rules = json.putArray("security_group_rules");
        g.rules().forEach(r -> rules.add(render(r)));
        StandardAttributes.render(json, g.projectId(), g.description(), g.createdAt(), g.updatedAt(), g.revisionNumber());
        return json;
    }

    public static ObjectNode render(SecurityGroupRule r) {
        ObjectNode json = Json.object().put("id", r.id()).put("security_group_id", r.securityGroupId())
                .put("direction", r.direction()).put("ethertype", r.ethertype());
        r.protocol().ifPresentOrElse(p -> json.put("protocol", p), () -> json.putNull("protocol"));
        r.portRangeMin().ifPresentOrElse(p -> json.put("port_range_min", p), () -> json.putNull("port_range_min"));
        r.portRangeMax().ifPresentOrElse(p -> json.put("port_range_max", p), () -> json.putNull("port_range_max"));
        r.remoteIpPrefix().ifPresentOrElse(p -> json.put("remote_ip_prefix", p), () -> json.putNull("remote_ip_prefix"));
        r.remoteGroupId().ifPresentOrElse(p -> json.put("remote_group_id", p), () -> json.putNull("remote_group_id"));
        json.putNull("remote_address_group_id");
        StandardAttributes.render(json, r.projectId(), r.description(), r.createdAt(), r.updatedAt(), r.revisionNumber());
        return json;
    }
}
