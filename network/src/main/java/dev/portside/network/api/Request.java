package dev.portside.network.api;

import dev.portside.common.auth.AuthContext;
import dev.portside.common.json.Fields;
import dev.portside.common.policy.Policy;

import java.util.Map;
import java.util.Set;

/**
 * One create or update body of a resource, checked against its definition: only attributes the
 * action may set, each valid, inert ones removed and (on create) defaults filled in.
 * {@code explicit} names the attributes the client set itself - the ones whose own policy rules apply.
 */
public record Request(String action, Fields fields, Set<String> explicit, Set<String> policed) {
    public Request {
        explicit = Set.copyOf(explicit);
        policed = Set.copyOf(policed);
    }

    /** Enforces {@code <action>:<attribute>} for each policed attribute the client set (Neutron's rule). */
    public void enforceAttributes(Policy policy, AuthContext caller, Map<String, String> target) {
        for (String name : policed) {
            if (explicit.contains(name)) {
                policy.enforce(action + ":" + name, caller, target);
            }
        }
    }

    public boolean sets(String name) {
        return explicit.contains(name);
    }
}
