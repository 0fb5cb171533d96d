package dev.portside.network.l3;

import java.util.List;
import java.util.Optional;

/**
 * A router as its dataplane needs it: the ports of its interfaces and of its gateway (the wiring
 * reads their networks and addresses as a host reads any port it plugs), whether it SNATs, its
 * extra routes, and the floating IPs it translates.
 */
public record RouterLayout(String routerId, List<String> interfacePorts, Optional<String> gatewayPort, boolean snat,
                           List<Router.Route> routes, List<Nat> floatingIps) {
    public RouterLayout {
        interfacePorts = List.copyOf(interfacePorts);
        routes = List.copyOf(routes);
        floatingIps = List.copyOf(floatingIps);
    }

    /** One floating IP: traffic to {@code floatingIpAddress} goes to {@code fixedIpAddress}, and back from it. */
    public record Nat(String floatingIpAddress, String fixedIpAddress) {
    }
}
