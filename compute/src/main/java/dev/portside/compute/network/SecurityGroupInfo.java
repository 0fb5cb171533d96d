package dev.portside.compute.network;

import java.util.List;
import java.util.Optional;

/**
 * A security group as compute needs it: its id and name (to resolve what users type) and, for
 * Nova's security group proxy, its owner, description and rules.
 */
public record SecurityGroupInfo(String id, String name, String description, String projectId, List<Rule> rules) {
    public SecurityGroupInfo {
        rules = List.copyOf(rules);
    }

    /** One rule, as the Networking API has it (direction "ingress" or "egress"; empty where the API has null). */
    public record Rule(String id, String direction, Optional<String> protocol, Optional<Integer> portRangeMin,
                       Optional<Integer> portRangeMax, Optional<String> remoteGroupId,
                       Optional<String> remoteIpPrefix) {
    }
}
