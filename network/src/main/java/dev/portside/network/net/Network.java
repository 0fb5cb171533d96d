package dev.portside.network.net;

import dev.portside.network.api.StandardResource;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A Neutron network: an L2 domain that subnets and ports belong to; {@code subnets} are its subnets'
 * ids, {@code segment} where its frames go (a bridge on this host, or a physical network);
 * {@code routerExternal} (the external-net extension) makes it a network routers have their gateway
 * on and floating IPs come from.
 */
public record Network(String id, String projectId, String name, String description, boolean adminStateUp, boolean shared,
                      boolean routerExternal, int mtu, boolean portSecurityEnabled, List<String> subnets, Segment segment,
                      Instant createdAt, Instant updatedAt, long revisionNumber) implements StandardResource {
    public Network {
        subnets = List.copyOf(subnets);
    }

    /** What policy rules see of a network, as Neutron's target dictionary. */
    public Map<String, String> target() {
        return Map.of("project_id", projectId, "network.project_id", projectId,
                "network.shared", shared ? "True" : "False", "network.router_external", routerExternal ? "True" : "False");
    }
}
