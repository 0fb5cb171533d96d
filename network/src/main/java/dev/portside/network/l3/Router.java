package dev.portside.network.l3;

import dev.portside.network.api.StandardResource;
import dev.portside.network.port.FixedIp;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A Neutron router: it routes between the subnets it has interfaces on (ports it owns, kept beside
 * it), reaches an external network through its gateway port, translating its subnets' addresses to
 * the gateway's (SNAT) unless told not to, and holds extra routes (the extraroute extension).
 */
public record Router(String id, String projectId, String name, String description, boolean adminStateUp, String status,
                     Optional<Gateway> gateway, List<Route> routes, Instant createdAt, Instant updatedAt,
                     long revisionNumber) implements StandardResource {
    public static final String ACTIVE = "ACTIVE";

    public Router {
        routes = List.copyOf(routes);
    }

    /** The gateway: its port on the external network, the addresses that port holds, and whether it SNATs. */
    public record Gateway(String networkId, String portId, boolean enableSnat, List<FixedIp> externalFixedIps) {
        public Gateway {
            externalFixedIps = List.copyOf(externalFixedIps);
        }
    }

    /** An extra route: traffic for {@code destination} goes to {@code nexthop}, on a subnet the router is on. */
    public record Route(String destination, String nexthop) {
    }

    public Map<String, String> target() {
        return Map.of("project_id", projectId);
    }

    public Router changed(String newName, String newDescription, boolean newAdminStateUp, Optional<Gateway> newGateway,
                          List<Route> newRoutes, Instant now) {
        return new Router(id, projectId, newName, newDescription, newAdminStateUp, status, newGateway, newRoutes,
                createdAt, now, revisionNumber + 1);
    }
}
