package dev.portside.agent;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portside.common.json.Json;

/**
 * The config drive's {@code network_data.json} and {@code meta_data.json}, in OpenStack's format
 * (what Nova writes and cloud-init reads): every port is a link ({@code ethernet_mac_address},
 * {@code mtu}); every address is a network on its link; an unaddressed port is a link and nothing
 * else; a trunk's sub-port is a {@code vlan} link on its parent's ({@code vlan_link}, {@code vlan_id},
 * {@code vlan_mac_address}), from which cloud-init makes {@code eth0.100}.
 */
public final class NetworkData {
    private NetworkData() {
    }

    public static ObjectNode networkData(Guest guest) {
        ObjectNode data = Json.object();
        ArrayNode links = data.putArray("links");
        ArrayNode networks = data.putArray("networks");
        ArrayNode services = data.putArray("services");
        java.util.Set<String> dns = new java.util.LinkedHashSet<>();
        for (int i = 0; i < guest.nics().size(); i++) {
            Guest.Nic nic = guest.nics().get(i);
            links.addObject().put("id", link(nic)).put("vif_id", nic.portId()).put("type", "bridge")
                    .put("ethernet_mac_address", nic.macAddress()).put("mtu", nic.mtu());
            addNetworks(networks, nic, "network" + i, dns);
        }
        // A trunk's sub-ports, as Nova describes them: VLAN links on their parent's link, after every NIC.
        for (int i = 0; i < guest.nics().size(); i++) {
            Guest.Nic parent = guest.nics().get(i);
            for (Guest.Vlan vlan : parent.vlans()) {
                Guest.Nic nic = vlan.nic();
                links.addObject().put("id", link(nic)).put("vif_id", nic.portId()).put("type", "vlan")
                        .put("vlan_link", link(parent)).put("vlan_id", vlan.id())
                        .put("vlan_mac_address", nic.macAddress()).put("mtu", nic.mtu());
                addNetworks(networks, nic, "network" + i + "-vlan" + vlan.id(), dns);
            }
        }
        dns.forEach(server -> services.addObject().put("type", "dns").put("address", server));
        return data;
    }

    private static String link(Guest.Nic nic) {
        return "tap" + nic.portId().substring(0, 11);
    }

    // Every address is a network on the NIC's link, with its subnet's default route.
    private static void addNetworks(ArrayNode networks, Guest.Nic nic, String idPrefix, java.util.Set<String> dns) {
        for (int j = 0; j < nic.addresses().size(); j++) {
            Guest.Address address = nic.addresses().get(j);
            ObjectNode network = networks.addObject().put("id", idPrefix + "-" + j).put("link", link(nic))
                    .put("type", address.version() == 4 ? "ipv4" : "ipv6")
                    .put("ip_address", address.ip())
                    .put("netmask", address.version() == 4 ? netmask(address.prefixLength())
                            : String.valueOf(address.prefixLength()))
                    .put("network_id", nic.networkId());
            ArrayNode routes = network.putArray("routes");
            address.gateway().ifPresent(gateway -> routes.addObject()
                    .put("network", address.version() == 4 ? "0.0.0.0" : "::")
                    .put("netmask", address.version() == 4 ? "0.0.0.0" : "0").put("gateway", gateway));
            dns.addAll(address.dnsServers());
        }
    }

    public static ObjectNode metaData(Guest guest) {
        ObjectNode meta = Json.object().put("uuid", guest.serverId()).put("name", guest.hostname())
                .put("hostname", guest.hostname());
        ObjectNode keys = meta.putObject("public_keys");
        for (int i = 0; i < guest.publicKeys().size(); i++) {
            keys.put("key-" + i, guest.publicKeys().get(i));
        }
        // Nova's device metadata: the tagged NICs, found in the guest by MAC (a config drive is written
        // at boot, so a NIC tagged on a later attach is not in it, as in Nova).
        if (guest.nics().stream().anyMatch(nic -> nic.tag().isPresent())) {
            ArrayNode devices = meta.putArray("devices");
            guest.nics().stream().filter(nic -> nic.tag().isPresent()).forEach(nic -> devices.addObject()
                    .put("type", "nic").put("mac", nic.macAddress()).putArray("tags").add(nic.tag().get()));
        }
        return meta;
    }

    static String netmask(int prefixLength) {
        long mask = prefixLength == 0 ? 0 : (0xffffffffL << (32 - prefixLength)) & 0xffffffffL;
        return ((mask >> 24) & 0xff) + "." + ((mask >> 16) & 0xff) + "." + ((mask >> 8) & 0xff) + "." + (mask & 0xff);
    }
}
