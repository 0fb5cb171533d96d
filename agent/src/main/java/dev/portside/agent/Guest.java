package dev.portside.agent;

import java.util.List;
import java.util.Optional;

/**
 * An instance as the host makes it: a namespace named after the instance, its interfaces in order
 * (eth0, eth1, ...), and what its init reads (hostname, public keys, user data).
 */
public record Guest(String serverId, String instanceName, String hostname, List<Nic> nics, List<String> publicKeys,
                    Optional<String> userData) {
    public Guest {
        nics = List.copyOf(nics);
        publicKeys = List.copyOf(publicKeys);
    }

    /** The instance's namespace, named by the server's id: unique on the host whatever database made it. */
    public String namespace() {
        return Names.namespace(serverId);
    }

    /**
     * One interface: a port, its network (whose bridge it joins), its MAC, its addresses (none for an
     * unaddressed port), the gateway addresses its network's bridge holds ("10.0.0.1/24"), and, on a
     * trunk's parent, the VLANs of its sub-ports as the instance was made with them.
     */
    public record Nic(String portId, String networkId, String macAddress, int mtu, List<Address> addresses,
                      List<String> bridgeAddresses, Optional<String> tag, Optional<Uplink> uplink, List<Vlan> vlans) {
        public Nic {
            addresses = List.copyOf(addresses);
            bridgeAddresses = List.copyOf(bridgeAddresses);
            vlans = List.copyOf(vlans);
        }
    }

    /** A trunk's sub-port on its parent's link: the VLAN id, and the sub-port as an interface of its own. */
    public record Vlan(int id, Nic nic) {
    }

    /**
     * Where a network's bridge reaches beyond this host, as its provider attributes say: the host
     * interface mapped to the physical network, itself ({@code flat}) or a VLAN sub-interface of it
     * ({@code vlan}); or a VXLAN device with the network's id ({@code vxlan}) to the other hosts.
     */
    public record Uplink(String networkType, Optional<String> physicalNetwork, Optional<Integer> segmentationId) {
        public static final String FLAT = "flat";
        public static final String VLAN = "vlan";
        public static final String VXLAN = "vxlan";
    }

    /** An address of an interface, with what its subnet says: prefix, gateway, DNS servers. */
    public record Address(String ip, int prefixLength, int version, Optional<String> gateway, List<String> dnsServers) {
        public Address {
            dnsServers = List.copyOf(dnsServers);
        }
    }
}
