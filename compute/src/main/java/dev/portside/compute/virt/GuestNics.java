package dev.portside.compute.virt;

import dev.portside.agent.AgentException;
import dev.portside.agent.Guest;
import dev.portside.compute.network.NetworkPort;
import dev.portside.compute.network.SubnetInfo;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** What the host drivers share: a port as the host wires it, an instance as the host records it, host errors as virt errors. */
public final class GuestNics {
    private GuestNics() {
    }

    static Guest guest(InstanceSpec instance, List<Vif> vifs) {
        return new Guest(instance.serverId(), instance.instanceName(), instance.hostname(),
                vifs.stream().map(GuestNics::nic).toList(), instance.publicKey().stream().toList(), instance.userData());
    }

    /** The port as the host wires it: its device's network, MAC, MTU, addresses and bridge. */
    public static Guest.Nic nic(Vif vif) {
        List<Guest.Address> addresses = new ArrayList<>();
        for (NetworkPort.FixedIp ip : vif.fixedIps()) {
            Optional<SubnetInfo> subnet = vif.subnet(ip.subnetId());
            addresses.add(new Guest.Address(ip.ipAddress(), subnet.map(SubnetInfo::prefixLength).orElse(ip.version() == 4 ? 32 : 128),
                    ip.version(), subnet.flatMap(SubnetInfo::gatewayIp),
                    subnet.map(SubnetInfo::dnsNameservers).orElse(List.of())));
        }
        return new Guest.Nic(vif.portId(), vif.networkId(), vif.macAddress(), vif.mtu() > 0 ? vif.mtu() : 1500, addresses,
                gateways(vif), vif.tag(), vif.wire().map(w -> new Guest.Uplink(w.networkType(), w.physicalNetwork(), w.segmentationId())),
                vif.vlans().stream().map(vlan -> new Guest.Vlan(vlan.id(), nic(vlan.vif()))).toList());
    }

    // The bridge of a network carries its subnets' gateways, so the host reaches the instances on it;
    // a provider network's gateway is outside, on the physical network, and a VXLAN network spans
    // hosts (each holding the gateway would answer for one address from every host), so their
    // bridges hold none.
    private static List<String> gateways(Vif vif) {
        if (vif.wire().isPresent()) {
            return List.of();
        }
        return vif.subnets().stream().filter(s -> s.gatewayIp().isPresent())
                .map(s -> s.gatewayIp().get() + "/" + s.prefixLength()).toList();
    }

    static void host(Runnable change) {
        try {
            change.run();
        } catch (AgentException e) {
            throw new VirtException(e.getMessage(), e);
        }
    }
}
