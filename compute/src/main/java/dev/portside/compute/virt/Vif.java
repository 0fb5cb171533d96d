package dev.portside.compute.virt;

import dev.portside.compute.network.NetworkClient;
import dev.portside.compute.network.NetworkPort;
import dev.portside.compute.network.SubnetInfo;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One interface of an instance: a bound port, what its binding told the driver to plug, what the
 * instance's network configuration needs (MTU, the subnets of its addresses, its device tag), and
 * where its network's bridge reaches beyond the host (a provider network's physical network, a
 * VXLAN network's tunnel); for a trunk's parent, its
 * sub-ports as VLANs on it.
 */
public record Vif(String portId, String networkId, String macAddress, List<NetworkPort.FixedIp> fixedIps,
                  String vifType, Map<String, Object> vifDetails, int mtu, List<SubnetInfo> subnets, Optional<String> tag,
                  Optional<NetworkClient.Wire> wire, List<Vlan> vlans) {
    /** A trunk's sub-port as its parent's link carries it: its VLAN id and its own interface. */
    public record Vlan(int id, Vif vif) {
    }

    public Vif {
        vlans = List.copyOf(vlans);
        fixedIps = List.copyOf(fixedIps);
        vifDetails = Map.copyOf(vifDetails);
        subnets = List.copyOf(subnets);
    }

    public static Vif of(NetworkPort port, NetworkClient.Topology topology, Optional<String> tag) {
        return new Vif(port.id(), port.networkId(), port.macAddress(), port.fixedIps(), port.vifType(), port.vifDetails(),
                topology.mtu(), topology.subnets(), tag, topology.wire(), List.of());
    }

    public Vif withVlans(List<Vlan> trunkVlans) {
        return new Vif(portId, networkId, macAddress, fixedIps, vifType, vifDetails, mtu, subnets, tag, wire,
                trunkVlans);
    }

    public Optional<SubnetInfo> subnet(String subnetId) {
        return subnets.stream().filter(s -> s.id().equals(subnetId)).findFirst();
    }
}
