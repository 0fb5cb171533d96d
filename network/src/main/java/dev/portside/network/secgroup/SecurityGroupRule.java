package dev.portside.network.secgroup;

import dev.portside.network.api.StandardResource;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * One allow rule: traffic in a direction, of an ethertype, optionally of a protocol and port (or
 * ICMP type/code) range, from or to a prefix or the ports of a group. No remote means any address.
 */
public record SecurityGroupRule(String id, String securityGroupId, String projectId, String direction, String ethertype,
                                Optional<String> protocol, Optional<Integer> portRangeMin, Optional<Integer> portRangeMax,
                                Optional<String> remoteIpPrefix, Optional<String> remoteGroupId, String description,
                                Instant createdAt, Instant updatedAt, long revisionNumber)
        implements StandardResource {

    /** Two rules that allow the same traffic are the same rule, whatever their ids (Neutron's SecurityGroupRuleExists). */
    public boolean sameTrafficAs(SecurityGroupRule other) {
        return securityGroupId.equals(other.securityGroupId) && direction.equals(other.direction)
                && ethertype.equals(other.ethertype) && protocol.equals(other.protocol)
                && portRangeMin.equals(other.portRangeMin) && portRangeMax.equals(other.portRangeMax)
                && remoteIpPrefix.equals(other.remoteIpPrefix) && remoteGroupId.equals(other.remoteGroupId);
    }

    public Map<String, String> target() {
        return Map.of("project_id", projectId);
    }
}
