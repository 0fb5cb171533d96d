package dev.portside.network.secgroup;

import dev.portside.network.api.StandardResource;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A Neutron security group: a set of allow rules that ports using it are filtered by. */
public record SecurityGroup(String id, String projectId, String name, String description, boolean stateful,
                            List<SecurityGroupRule> rules, Instant createdAt, Instant updatedAt, long revisionNumber)
        implements StandardResource {
    public SecurityGroup {
        rules = List.copyOf(rules);
    }

    public Map<String, String> target() {
        return Map.of("project_id", projectId);
    }
}
