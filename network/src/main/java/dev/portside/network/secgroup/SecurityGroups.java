package dev.portside.network.secgroup;

import dev.portside.common.auth.AuthContext;
import dev.portside.common.http.ApiException;
import dev.portside.common.policy.Policy;
import dev.portside.network.StandardAttributes;
import dev.portside.network.change.Transactions;
import dev.portside.network.net.NetworkStore;
import org.jdbi.v3.core.Handle;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Each project's "default" security group, made on first need with OpenStack's default rules:
 * all egress, and ingress from ports of the same group, for IPv4 and IPv6.
 */
public final class SecurityGroups {
    private final SecurityGroupStore store;
    private final Policy policy;
    private final Clock clock;

    public SecurityGroups(SecurityGroupStore store, Policy policy, Clock clock) {
        this.store = store;
        this.policy = policy;
        this.clock = clock;
    }

    /** The group if the caller may see it, else SecurityGroupNotFound (404), as Neutron. */
    public SecurityGroup visible(Handle h, AuthContext caller, String id) {
        return store.find(h, id).filter(g -> policy.allows("get_security_group", caller, g.target()))
                .orElseThrow(() -> new ApiException(404, "SecurityGroupNotFound", "Security group " + id + " does not exist"));
    }

    /** The project's default group, created now if it has none yet. */
    public String ensureDefault(Handle h, String projectId) {
        Optional<String> existing = store.defaultOf(h, projectId);
        if (existing.isPresent()) {
            return existing.get();
        }
        Instant now = NetworkStore.now(clock);
        String id = StandardAttributes.newId();
        List<SecurityGroupRule> rules = List.of(
                rule(id, projectId, "egress", "IPv4", Optional.empty(), now),
                rule(id, projectId, "egress", "IPv6", Optional.empty(), now),
                rule(id, projectId, "ingress", "IPv4", Optional.of(id), now),
                rule(id, projectId, "ingress", "IPv6", Optional.of(id), now));
        store.insert(h, new SecurityGroup(id, projectId, "default", "Default security group", true, rules, now, now, 1));
        if (store.makeDefault(h, projectId, id)) {
            return id;
        }
        // Another request made the project's default first: keep theirs, drop ours. Where its transaction has
        // not committed yet (H2 does not wait for it), this one runs again once it has.
        store.delete(h, id);
        return store.defaultOf(h, projectId).orElseThrow(() -> new Transactions.Retry(
                "the project's default security group is being made by another request"));
    }

    private static SecurityGroupRule rule(String groupId, String projectId, String direction, String ethertype,
                                          Optional<String> remoteGroup, Instant now) {
        return new SecurityGroupRule(StandardAttributes.newId(), groupId, projectId, direction, ethertype, Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), remoteGroup, "", now, now, 1);
    }
}
