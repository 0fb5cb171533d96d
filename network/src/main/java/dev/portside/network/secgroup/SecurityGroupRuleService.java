package dev.portside.network.secgroup;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portside.common.auth.AuthContext;
import dev.portside.common.http.ApiException;
import dev.portside.common.json.Fields;
import dev.portside.common.paging.Page;
import dev.portside.network.StandardAttributes;
import dev.portside.network.api.Definitions;
import dev.portside.network.api.ListRequest;
import dev.portside.network.api.Request;
import dev.portside.network.api.ResourceDefinition;
import dev.portside.network.api.ResourceService;
import dev.portside.network.api.ServiceContext;
import dev.portside.network.change.Change;
import dev.portside.network.net.NetworkStore;
import org.jdbi.v3.core.Handle;

import java.time.Instant;
import java.util.Optional;

/** Security group rules: created and deleted, never updated (Neutron has no update for them). */
public final class SecurityGroupRuleService implements ResourceService<SecurityGroupRule> {
    private final ServiceContext context;
    private final SecurityGroupStore store;
    private final SecurityGroups groups;

    public SecurityGroupRuleService(ServiceContext context, SecurityGroupStore store, SecurityGroups groups) {
        this.context = context;
        this.store = store;
        this.groups = groups;
    }

    @Override
    public ResourceDefinition<SecurityGroupRule> definition() {
        return Definitions.SECURITY_GROUP_RULE;
    }

    @Override
    public SecurityGroupRule create(AuthContext caller, Request request) {
        Fields fields = request.fields();
        String groupId = fields.requiredString("security_group_id", 36);
        String direction = RuleValidator.direction(fields.requiredString("direction", 8));
        String ethertype = RuleValidator.ethertype(fields.string("ethertype", 8));
        Optional<String> protocol = RuleValidator.protocol(protocolText(fields));
        Optional<Integer> min = RuleValidator.port(fields, "port_range_min");
        Optional<Integer> max = RuleValidator.port(fields, "port_range_max");
        RuleValidator.ports(protocol, min, max);
        if (protocol.isPresent() && (protocol.get().equals("tcp") || protocol.get().equals("udp")) && min.isPresent()
                && max.isEmpty()) {
            max = min;
        }
        Optional<String> prefix = RuleValidator.remotePrefix(fields.nullableString("remote_ip_prefix", 64).flatMap(p -> p),
                ethertype);
        Optional<String> remoteGroup = fields.nullableString("remote_group_id", 36).flatMap(g -> g);
        if (prefix.isPresent() && remoteGroup.isPresent()) {
            throw new ApiException(400, "SecurityGroupRemoteGroupAndRemoteIpPrefix",
                    "Only remote_ip_prefix or remote_group_id may be provided.");
        }
        Optional<Integer> portMax = max;
        Instant now = NetworkStore.now(context.clock());
        return context.tx().inTransaction((h, changes) -> {
            SecurityGroup group = groups.visible(h, caller, groupId);
            context.policy().enforce("create_security_group_rule", caller, group.target());
            request.enforceAttributes(context.policy(), caller, group.target());
            context.quotas().claim(h, group.projectId(), "security_group_rule", 1);
            remoteGroup.ifPresent(remote -> groups.visible(h, caller, remote));
            SecurityGroupRule rule = new SecurityGroupRule(StandardAttributes.newId(), groupId, group.projectId(), direction,
                    ethertype, protocol, min, portMax, prefix, remoteGroup,
                    StandardAttributes.text(fields, "description").orElseThrow(), now, now, 1);
            for (SecurityGroupRule existing : group.rules()) {
                if (existing.sameTrafficAs(rule)) {
                    throw new ApiException(409, "SecurityGroupRuleExists", "Security group rule already exists. Rule id is "
                            + existing.id() + ".");
                }
            }
            store.insertRule(h, rule);
            changes.accept(new Change.RuleChange(rule, false));
            return rule;
        });
    }

    @Override
    public Page<SecurityGroupRule> list(AuthContext caller, ListRequest request) {
        return context.tx().read(h -> context.listing().page(h, Definitions.SECURITY_GROUP_RULE, "r", request,
                SecurityGroupStore.ruleScope(StandardAttributes.listScope(context.policy(), caller)), store::selectRules,
                r -> context.policy().allows("get_security_group_rule", caller, r.target())));
    }

    @Override
    public SecurityGroupRule show(AuthContext caller, String id) {
        return context.tx().read(h -> visible(h, caller, id));
    }

    @Override
    public SecurityGroupRule update(AuthContext caller, String id, ObjectNode body, Optional<String> ifMatch) {
        throw new ApiException(405, "HTTPMethodNotAllowed", "Security group rules cannot be updated.");
    }

    @Override
    public void delete(AuthContext caller, String id, Optional<String> ifMatch) {
        context.tx().inTransaction((h, changes) -> {
            SecurityGroupRule rule = visible(h, caller, id);
            context.policy().enforce("delete_security_group_rule", caller, rule.target());
            StandardAttributes.checkRevision(ifMatch, rule.revisionNumber());
            store.deleteRule(h, rule.id());
            changes.accept(new Change.RuleChange(rule, true));
            return id;
        });
    }

    private SecurityGroupRule visible(Handle h, AuthContext caller, String id) {
        return store.rule(h, id).filter(r -> context.policy().allows("get_security_group_rule", caller, r.target()))
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
}
