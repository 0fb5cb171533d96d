package dev.portside.app;

import dev.portside.agent.Guest;
import dev.portside.agent.RouterNat;
import dev.portside.agent.Routers;
import dev.portside.compute.network.NetworkPort;
import dev.portside.compute.virt.GuestNics;
import dev.portside.compute.virt.Vif;
import dev.portside.network.l3.RouterLayout;
import dev.portside.network.l3.RouterWiring;

import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The network service's routers on this machine, its only host: each leg's port read as compute reads
 * a port it plugs (network, MAC, MTU, addresses and their subnets' gateways), then the router made
 * by the host's agent.
 */
final class LocalRouterWiring implements RouterWiring {
    private final Supplier<LocalNetworkClient> network;
    private final Routers routers;

    /** {@code network} is made after the network service, which this wiring is part of. */
    LocalRouterWiring(Supplier<LocalNetworkClient> network, Routers routers) {
        this.network = network;
        this.routers = routers;
    }

    @Override
    public void apply(RouterLayout layout) {
        routers.apply(new Routers.Spec(layout.routerId(), layout.interfacePorts().stream().map(this::nic).toList(),
                layout.gatewayPort().map(this::nic), layout.snat(),
                layout.routes().stream().map(r -> new Routers.Route(r.destination(), r.nexthop())).toList(),
                layout.floatingIps().stream().map(f -> new RouterNat.FloatingIp(f.floatingIpAddress(),
                        f.fixedIpAddress())).toList()));
    }

    @Override
    public void remove(String routerId) {
        routers.remove(routerId);
    }

    @Override
    public void removeAllBut(Set<String> routerIds) {
        routers.routerIds().stream().filter(id -> !routerIds.contains(id)).forEach(routers::remove);
    }

    private Guest.Nic nic(String portId) {
        LocalNetworkClient client = network.get();
        NetworkPort port = client.findAnyPort(portId)
                .orElseThrow(() -> new IllegalStateException("router port " + portId + " is gone"));
        return GuestNics.nic(Vif.of(port, client.topology(port), Optional.empty()));
    }
}
