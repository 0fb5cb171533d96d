package dev.portside.network.net;

import java.time.Instant;
import java.util.Map;

/** A Neutron network: an L2 domain that subnets and ports belong to. */
public record Network(String id, String projectId, String name, String description, boolean adminStateUp, boolean shared,
                      int mtu, boolean portSecurityEnabled, Instant createdAt, Instant updatedAt, long revisionNumber) {

    /** What policy rules see of a network, as Neutron's target dictionary. */
    public Map<String, String> target() {
        return Map.of("project_id", projectId, "network.project_id", projectId,
                "network.shared", shared ? "True" : "False");
    }
}
