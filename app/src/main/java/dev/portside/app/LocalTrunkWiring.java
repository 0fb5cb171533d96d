package dev.portside.app;

import dev.portside.agent.Guest;
import dev.portside.agent.Trunks;
import dev.portside.compute.network.NetworkPort;
import dev.portside.compute.virt.GuestNics;
import dev.portside.compute.virt.Vif;
import dev.portside.network.trunk.TrunkWiring;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The network service's trunk wiring on this machine, its only host: each sub-port read as compute
 * reads a port it plugs (network, MTU, addresses), then wired by the host's agent.
 */
final class LocalTrunkWiring implements TrunkWiring {
    private final Supplier<LocalNetworkClient> network;
    private final Trunks trunks;

    /** {@code network} is made after the network service, which this wiring is part of. */
    LocalTrunkWiring(Supplier<LocalNetworkClient> network, Trunks trunks) {
        this.network = network;
        this.trunks = trunks;
    }

    @Override
    public Set<String> wire(String host, String parentPortId, List<SubPortVlan> subPorts) {
        LocalNetworkClient client = network.get();
        List<Guest.Vlan> wanted = subPorts.stream().map(subPort -> {
            NetworkPort port = client.findAnyPort(subPort.portId())
                    .orElseThrow(() -> new IllegalStateException("sub-port " + subPort.portId() + " is gone"));
            return new Guest.Vlan(subPort.segmentationId(),
                    GuestNics.nic(Vif.of(port, client.topology(port), Optional.empty())));
        }).toList();
        return trunks.wire(parentPortId, wanted);
    }

    /** Removes what is left of trunks whose instances went while Portside was down. */
    void removeOrphans() {
        trunks.removeOrphans();
    }
}
