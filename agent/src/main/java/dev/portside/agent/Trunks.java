package dev.portside.agent;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portside.common.json.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Trunk ports on this host (Neutron's trunk extension), wired as its linuxbridge driver wires them,
 * with tc programs ({@link VlanPrograms}) where that driver uses VLAN interfaces. Each sub-port is a
 * veth pair: one end, {@code tap} + the sub-port's id, sits on the sub-port's network bridge as any
 * port's device does, so the bridge and the port filtering treat it as the sub-port's own; the
 * other, {@code spt} + the id (its alias names the parent's device), tags what comes from that
 * bridge with the sub-port's VLAN and sends it out the parent's device. The parent's device sends
 * each sub-port's VLAN, untagged, into that sub-port's pair, and drops frames of any other VLAN;
 * untagged frames are the parent's own, as before.
 *
 * <p>A namespace instance has no 802.1Q interfaces of its own on such a host, so the same programs
 * inside it make the VLAN interfaces a virtual machine's kernel would ({@code eth0.100}, with the
 * sub-port's MAC and addresses). A virtual machine makes its own from its config drive.
 */
public final class Trunks {
    private static final Logger LOG = LoggerFactory.getLogger(Trunks.class);
    static final String TRUNK_SIDE_PREFIX = "spt";
    // Inside a namespace instance, the hidden end of each emulated VLAN interface: "q" + "eth0.100".
    private static final String GUEST_PEER_PREFIX = "q";

    private final HostCommands host;
    private final Bridges bridges;
    private final VlanPrograms programs;

    public Trunks(HostCommands host, Bridges bridges, VlanPrograms programs) {
        this.host = host;
        this.bridges = bridges;
        this.programs = programs;
    }

    /**
     * Wires exactly {@code subPorts} on the parent port's device and unwires the sub-ports wired there
     * before and no longer asked for. Returns the ids of the sub-ports wired; one that cannot be is
     * logged and left out (the trunk is degraded). Without the parent's device there is nothing to
     * wire on: only what is left of earlier wiring is removed.
     */
    public Set<String> wire(String parentPortId, List<Guest.Vlan> subPorts) {
        String parent = Names.tap(parentPortId);
        Optional<JsonNode> parentLink = link(Optional.empty(), parent);
        Set<String> asked = new HashSet<>();
        subPorts.forEach(s -> asked.add(trunkSide(s.nic().portId())));
        List<String> stale = wiredOn(parent).stream().filter(device -> !asked.contains(device)).toList();
        if (parentLink.isEmpty()) {
            stale.forEach(this::removePair);
            if (!subPorts.isEmpty()) {
                throw new AgentException("the trunk's parent port has no device " + parent + " on this host");
            }
            return Set.of();
        }
        SortedMap<Integer, String> vlans = new TreeMap<>();
        List<Guest.Vlan> wired = new ArrayList<>();
        for (Guest.Vlan subPort : subPorts) {
            try {
                plug(parent, subPort);
                vlans.put(subPort.id(), trunkSide(subPort.nic().portId()));
                wired.add(subPort);
            } catch (AgentException e) {
                LOG.error("sub-port {} (VLAN {}) of {} not wired: {}", subPort.nic().portId(), subPort.id(), parent,
                        e.getMessage());
            }
        }
        // The parent stops sending to stale pairs before they go.
        programs.untag(Optional.empty(), parent, vlans, VlanPrograms.OtherVlans.DROP);
        stale.forEach(this::removePair);
        Optional<String> namespace = text(parentLink.get(), "link_netnsid").flatMap(id -> namespaceOf(parent));
        namespace.ifPresent(ns -> guestInterfaces(ns, parentLink.get(), wired));
        Set<String> ids = new LinkedHashSet<>();
        wired.forEach(s -> ids.add(s.nic().portId()));
        return ids;
    }

    /** Removes sub-port pairs whose parent's device is gone (an instance removed while Portside was down). */
    public void removeOrphans() {
        for (JsonNode link : links(Optional.empty())) {
            String name = link.path("ifname").asText();
            if (name.startsWith(TRUNK_SIDE_PREFIX) && text(link, "ifalias").flatMap(p -> link(Optional.empty(), p))
                    .isEmpty()) {
                removePair(name);
            }
        }
    }

    private void plug(String parent, Guest.Vlan subPort) {
        Guest.Nic nic = subPort.nic();
        String device = Names.tap(nic.portId());
        String trunkSide = trunkSide(nic.portId());
        if (link(Optional.empty(), trunkSide).isEmpty()) {
            host.attempt(List.of("ip", "link", "del", device));
            host.run("ip", "link", "add", device, "mtu", String.valueOf(nic.mtu()), "type", "veth", "peer", "name",
                    trunkSide, "mtu", String.valueOf(nic.mtu()));
            host.run("ip", "link", "set", trunkSide, "alias", parent);
            // The tagging end is no host interface: without this it would send its own IPv6 autoconfiguration
            // (from its own MAC) into the sub-port's network.
            host.run("ip", "link", "set", trunkSide, "addrgenmode", "none");
        }
        bridges.connect(nic, device);
        host.run("ip", "link", "set", trunkSide, "up");
        // Compiled against the parent's device as it is now: after a reboot of the instance it is another.
        programs.tag(Optional.empty(), trunkSide, subPort.id(), parent);
    }

    private void removePair(String trunkSide) {
        host.attempt(List.of("ip", "link", "del", trunkSide));
        bridges.removeUnused();
    }

    private List<String> wiredOn(String parent) {
        return links(Optional.empty()).stream()
                .filter(l -> l.path("ifname").asText().startsWith(TRUNK_SIDE_PREFIX)
                        && text(l, "ifalias").filter(parent::equals).isPresent())
                .map(l -> l.path("ifname").asText()).toList();
    }

    // The instance's VLAN interfaces on the interface that is the parent's other end.
    private void guestInterfaces(String ns, JsonNode parentLink, List<Guest.Vlan> subPorts) {
        Optional<String> namespace = Optional.of(ns);
        int peerIndex = parentLink.path("link_index").asInt(-1);
        Optional<String> guest = links(namespace).stream().filter(l -> l.path("ifindex").asInt() == peerIndex)
                .map(l -> l.path("ifname").asText()).findFirst();
        if (guest.isEmpty()) {
            return;
        }
        String trunk = guest.get();
        String prefix = GUEST_PEER_PREFIX + trunk + ".";
        SortedMap<Integer, String> vlans = new TreeMap<>();
        Set<String> asked = new HashSet<>();
        for (Guest.Vlan subPort : subPorts) {
            Guest.Nic nic = subPort.nic();
            String name = trunk + "." + subPort.id();
            String peer = GUEST_PEER_PREFIX + name;
            boolean own = link(namespace, name).filter(l -> l.path("linkinfo").path("info_kind").asText().equals("vlan"))
                    .isPresent();
            if (own) {
                // The instance's kernel has 802.1Q and made the interface itself: its tags need no help.
                continue;
            }
            asked.add(peer);
            if (link(namespace, peer).isEmpty()) {
                host.run(VlanPrograms.ip(namespace, "link", "add", name, "mtu", String.valueOf(nic.mtu()), "address",
                        nic.macAddress(), "type", "veth", "peer", "name", peer, "mtu", String.valueOf(nic.mtu())));
                // The hidden end is not the instance's: no IPv6 of its own into the VLAN interface.
                host.run(VlanPrograms.ip(namespace, "link", "set", peer, "addrgenmode", "none"));
            }
            host.run(VlanPrograms.ip(namespace, "link", "set", name, "up"));
            host.run(VlanPrograms.ip(namespace, "link", "set", peer, "up"));
            for (Guest.Address address : nic.addresses()) {
                host.run(VlanPrograms.ip(namespace, "addr", "replace", address.ip() + "/" + address.prefixLength(),
                        "dev", name));
            }
            programs.tag(namespace, peer, subPort.id(), trunk);
            vlans.put(subPort.id(), peer);
        }
        programs.untag(namespace, trunk, vlans, VlanPrograms.OtherVlans.PASS);
        links(namespace).stream().map(l -> l.path("ifname").asText())
                .filter(name -> name.startsWith(prefix) && !asked.contains(name))
                .forEach(peer -> host.attempt(VlanPrograms.ip(namespace, "link", "del", peer)));
    }

    // "link-netns" is printed by name only when the namespace has one; iproute2's JSON gives the id.
    private Optional<String> namespaceOf(String device) {
        String line = host.run("ip", "-o", "link", "show", "dev", device);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("link-netns (\\S+)").matcher(line);
        return m.find() ? Optional.of(m.group(1)) : Optional.empty();
    }

    private Optional<JsonNode> link(Optional<String> namespace, String device) {
        HostCommands.Result found = host.attempt(VlanPrograms.ip(namespace, "-j", "-d", "link", "show", "dev", device));
        if (found.exit() != 0) {
            return Optional.empty();
        }
        JsonNode links = parse(found.out());
        return links.isArray() && !links.isEmpty() ? Optional.of(links.get(0)) : Optional.empty();
    }

    private List<JsonNode> links(Optional<String> namespace) {
        List<JsonNode> all = new ArrayList<>();
        parse(host.run(VlanPrograms.ip(namespace, "-j", "link", "show"))).forEach(all::add);
        return all;
    }

    private static JsonNode parse(String ipJson) {
        try {
            return Json.MAPPER.readTree(ipJson);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new AgentException("ip printed what is not JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static Optional<String> text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? Optional.empty() : Optional.of(value.asText());
    }

    static String trunkSide(String portId) {
        return TRUNK_SIDE_PREFIX + portId.substring(0, 11);
    }
}
