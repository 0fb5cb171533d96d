package dev.portside.agent;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One Linux bridge per network ({@code brq} + the network id), shared by every kind of instance on
 * this host and by routers. A network of this host only carries the gateway address of each of its
 * subnets that has one, so the host reaches instances' addresses (SSH on the management network)
 * and instances reach their gateway - unless a router holds that address there: then it is the
 * router's, and the host lets go of it until the router leaves. A provider network's bridge
 * instead holds its uplink, as Neutron's linuxbridge agent wires it: the interface
 * {@code physical_interface_mappings} names for its
 * physical network (flat), or a VLAN sub-interface of it ({@code eth1.200}) that tags and untags
 * the network's frames (vlan); its gateway is outside. A VXLAN network's bridge holds a VXLAN
 * device ({@code vxlan-} + the id, as the linuxbridge agent names it) that carries its frames to the
 * other hosts over this host's tunnel address; {@link Vxlans} tells it where those hosts are. A bridge forgets a MAC address
 * {@code macAgeing} after its last frame, and forwards LLDP, which a port's allowed ethertypes may
 * let through (the port filtering decides, not the bridge).
 */
public final class Bridges {
    // group_fwd_mask bit 14: 01:80:c2:00:00:0e, LLDP's destination, which bridges keep to themselves by default.
    private static final String FORWARD_LLDP = "0x4000";
    private static final int IFNAMSIZ = 15;

    private final HostCommands host;
    private final java.time.Duration macAgeing;
    private final Map<String, String> physicalInterfaces;
    // This host's address on the network between hosts, where VXLAN devices send from; none on a one-host Portside.
    private final Optional<String> tunnelAddress;
    // By bridge: the gateway addresses its instances' networks ask the host to hold, and, by device, the
    // addresses routers' legs hold there. The bridge holds the first less the second.
    private final Map<String, java.util.Set<String>> hostAddresses = new java.util.HashMap<>();
    private final Map<String, Map<String, List<String>>> routerAddresses = new java.util.HashMap<>();

    /** {@code physicalInterfaces}: physical network to host interface (the agent's physical_interface_mappings). */
    public Bridges(HostCommands host, java.time.Duration macAgeing, Map<String, String> physicalInterfaces) {
        this(host, macAgeing, physicalInterfaces, Optional.empty());
    }

    /** {@code tunnelAddress}: this host's address for VXLAN (the agent's local_ip). */
    public Bridges(HostCommands host, java.time.Duration macAgeing, Map<String, String> physicalInterfaces,
                   Optional<String> tunnelAddress) {
        this.host = host;
        this.macAgeing = macAgeing;
        this.physicalInterfaces = Map.copyOf(physicalInterfaces);
        this.tunnelAddress = tunnelAddress;
    }

    /**
     * Puts {@code device} (the port's host-side device, already made) on the bridge of the port's
     * network, making the bridge if missing. Under the same lock as removing an unused bridge: between
     * finding the bridge and putting the device on it, another instance's unplug would otherwise see
     * the bridge empty and delete it.
     */
    public synchronized String connect(Guest.Nic nic, String device) {
        String bridge = ensure(nic);
        host.run("ip", "link", "set", device, "master", bridge, "up");
        return bridge;
    }

    // The bridge of the port's network, made if missing, up, with its MTU, gateways and uplink.
    private String ensure(Guest.Nic nic) {
        String bridge = Names.bridge(nic.networkId());
        if (!exists(bridge)) {
            HostCommands.Result made = host.attempt(List.of("ip", "link", "add", bridge, "mtu", String.valueOf(nic.mtu()),
                    "type", "bridge"));
            // Two instances on one network may be spawned at once; the loser finds the bridge made.
            if (made.exit() != 0 && !exists(bridge)) {
                throw new AgentException("cannot make bridge " + bridge + ": " + made.err().strip());
            }
        }
        // Set on every use, so a changed setting reaches bridges made before it; ageing_time is in 1/100 s.
        host.run("ip", "link", "set", bridge, "up", "type", "bridge", "ageing_time",
                String.valueOf(macAgeing.toMillis() / 10), "group_fwd_mask", FORWARD_LLDP);
        hostAddresses.computeIfAbsent(bridge, b -> new java.util.LinkedHashSet<>()).addAll(nic.bridgeAddresses());
        holdAddresses(bridge);
        nic.uplink().ifPresent(uplink -> attach(bridge, uplink, nic.mtu()));
        return bridge;
    }

    /**
     * Puts a router's leg ({@code device}, its host end) on the bridge of its network; the addresses
     * the router holds there ({@code "10.0.0.1/24"}) are the router's from now on, not the host's.
     */
    public synchronized String connectRouter(Guest.Nic nic, String device, List<String> routerHeld) {
        String bridge = Names.bridge(nic.networkId());
        routerAddresses.computeIfAbsent(bridge, b -> new java.util.HashMap<>()).put(device, List.copyOf(routerHeld));
        ensure(nic);
        host.run("ip", "link", "set", device, "master", bridge, "up");
        return bridge;
    }

    /**
     * A router's leg leaves its network: the device goes, the addresses it held return to the host
     * where the network's instances need them, and the bridge goes if nothing else is on it.
     */
    public synchronized void disconnectRouter(String device) {
        Optional<String> bridge = masterOf(device);
        host.attempt(List.of("ip", "link", "del", device));
        routerAddresses.values().forEach(byDevice -> byDevice.remove(device));
        bridge.filter(this::exists).ifPresent(b -> {
            holdAddresses(b);
            removeIfUnusedBridge(b);
        });
    }

    private void holdAddresses(String bridge) {
        java.util.Set<String> routed = new java.util.HashSet<>();
        routerAddresses.getOrDefault(bridge, Map.of()).values().forEach(routed::addAll);
        for (String address : hostAddresses.getOrDefault(bridge, java.util.Set.of())) {
            if (!routed.contains(address)) {
                host.run("ip", "addr", "replace", address, "dev", bridge);
            }
        }
        for (String address : routed) {
            host.attempt(List.of("ip", "addr", "del", address, "dev", bridge));
        }
    }

    // "12: tapX@if11: <...> mtu 1500 master brqY state UP ..." -> brqY
    private Optional<String> masterOf(String device) {
        HostCommands.Result shown = host.attempt(List.of("ip", "-o", "link", "show", "dev", device));
        String[] words = shown.out().split("\\s+");
        for (int i = 0; i + 1 < words.length; i++) {
            if (words[i].equals("master")) {
                return Optional.of(words[i + 1]);
            }
        }
        return Optional.empty();
    }

    private void attach(String bridge, Guest.Uplink uplink, int mtu) {
        if (uplink.networkType().equals(Guest.Uplink.VXLAN)) {
            attachVxlan(bridge, uplink.segmentationId().orElseThrow(() -> new AgentException(
                    "a VXLAN network without a VXLAN id")), mtu);
            return;
        }
        String physnet = uplink.physicalNetwork().orElse("");
        String device = physicalInterfaces.get(physnet);
        if (device == null) {
            throw new AgentException("physical network " + physnet + " has no interface on this host"
                    + " (physical_interface_mappings)");
        }
        if (!exists(device)) {
            throw new AgentException("interface " + device + " of physical network " + physnet + " does not exist");
        }
        host.run("ip", "link", "set", device, "up");
        String link = device;
        Optional<Integer> vlan = uplink.networkType().equals(Guest.Uplink.VLAN) ? uplink.segmentationId() : Optional.empty();
        if (vlan.isPresent()) {
            link = vlanDevice(device, vlan.get());
            if (!exists(link)) {
                HostCommands.Result made = host.attempt(List.of("ip", "link", "add", "link", device, "name", link,
                        "type", "vlan", "id", String.valueOf(vlan.get())));
                if (made.exit() != 0 && !exists(link)) {
                    throw new AgentException(made.err().contains("Unknown device type")
                            ? "this host's kernel has no VLAN interfaces (802.1Q, module 8021q): VLAN provider network"
                                    + " on " + physnet + " cannot be wired here"
                            : "cannot make VLAN interface " + link + ": " + made.err().strip());
                }
            }
        }
        host.run("ip", "link", "set", link, "master", bridge, "up");
    }

    /**
     * The network's VXLAN device on its bridge. It learns which host a MAC is behind from the frames
     * it receives, and has no ARP proxy: an ARP request it has no entry for goes to every host of the
     * network, where an unaddressed port's owner may be the one to answer it.
     */
    private void attachVxlan(String bridge, int vni, int mtu) {
        String local = tunnelAddress.orElseThrow(() -> new AgentException("this host has no tunnel address (local_ip):"
                + " VXLAN network " + vni + " cannot be wired here"));
        String device = Names.vxlan(vni);
        if (!exists(device)) {
            HostCommands.Result made = host.attempt(List.of("ip", "link", "add", device, "type", "vxlan", "id",
                    String.valueOf(vni), "local", local, "dstport", String.valueOf(Names.VXLAN_PORT)));
            if (made.exit() != 0 && !exists(device)) {
                throw new AgentException("cannot make VXLAN device " + device + ": " + made.err().strip());
            }
        }
        // Made without a lower device, the kernel gives it 1500; the network's MTU leaves room for the tunnel.
        host.run("ip", "link", "set", device, "mtu", String.valueOf(mtu), "master", bridge, "up");
    }

    /** {@code eth1.200}, its interface part cut to fit the kernel's 15 characters. */
    static String vlanDevice(String device, int vlan) {
        String suffix = "." + vlan;
        return device.substring(0, Math.min(device.length(), IFNAMSIZ - suffix.length())) + suffix;
    }

    /** Removes the network's bridge once no instance's port is on it (its uplink does not count). */
    public void removeIfUnused(String networkId) {
        removeIfUnusedBridge(Names.bridge(networkId));
    }

    /** Removes every bridge of Portside's that no instance's port uses any more. */
    public void removeUnused() {
        for (String line : host.run("ip", "-o", "link", "show", "type", "bridge").split("\n")) {
            String[] words = line.strip().split(":\\s+");
            if (words.length > 1 && words[1].startsWith(Names.BRIDGE_PREFIX)) {
                removeIfUnusedBridge(words[1].split("@")[0]);
            }
        }
    }

    private synchronized void removeIfUnusedBridge(String bridge) {
        if (!exists(bridge)) {
            return;
        }
        List<String> members = members(bridge);
        if (members.stream().anyMatch(name -> name.startsWith(Names.TAP_PREFIX))) {
            return;
        }
        // VLAN and VXLAN uplinks are Portside's own; a flat one is the host's interface, which leaves the bridge with it.
        for (String member : members) {
            if (member.startsWith(Names.VXLAN_PREFIX)
                    || host.run("ip", "-d", "-o", "link", "show", "dev", member).contains(" vlan protocol ")) {
                host.attempt(List.of("ip", "link", "del", member));
            }
        }
        host.attempt(List.of("ip", "link", "del", bridge));
        hostAddresses.remove(bridge);
        routerAddresses.remove(bridge);
    }

    // "7: eth1.200@eth1: <...> ... master brq..." -> "eth1.200"
    private List<String> members(String bridge) {
        return Arrays.stream(host.run("ip", "-o", "link", "show", "master", bridge).split("\n"))
                .map(String::strip).filter(line -> !line.isEmpty()).map(line -> line.split(":\\s+"))
                .filter(words -> words.length > 1).map(words -> words[1].split("@")[0]).toList();
    }

    public boolean exists(String bridge) {
        return host.attempt(List.of("ip", "link", "show", "dev", bridge)).exit() == 0;
    }
}
