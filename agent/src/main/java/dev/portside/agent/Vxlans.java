package dev.portside.agent;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Where a VXLAN network's frames go from this host: its VXLAN device's forwarding entries, one
 * all-zero entry per other host with ports on the network (broadcast, multicast and unknown
 * destinations - ARP requests for any address among them - are copied to each), and one per MAC
 * address the network service knows behind another host (as l2population's entries, but without
 * its ARP responder). Entries the device learned from frames it received are left to the kernel.
 */
public final class Vxlans {
    private static final String ALL = "00:00:00:00:00:00";

    /** Another host of a network: its tunnel address and the MAC addresses of the ports bound there. */
    public record Peer(String address, List<String> macAddresses) {
        public Peer {
            macAddresses = List.copyOf(macAddresses);
        }
    }

    /** A VXLAN network with ports on this host: its id and the other hosts that have ports on it. */
    public record Tunnel(String networkId, int vni, List<Peer> peers) {
        public Tunnel {
            peers = List.copyOf(peers);
        }
    }

    private final HostCommands host;

    public Vxlans(HostCommands host) {
        this.host = host;
    }

    /**
     * Makes each tunnel's device hold exactly its peers' entries. A network whose device is not here
     * yet (no instance of it on this host so far) is skipped: the device gets its entries once an
     * instance's port makes it and the host asks again.
     */
    public synchronized void apply(List<Tunnel> tunnels) {
        for (Tunnel tunnel : tunnels) {
            String device = Names.vxlan(tunnel.vni());
            if (host.attempt(List.of("ip", "link", "show", "dev", device)).exit() != 0) {
                continue;
            }
            Set<Entry> wanted = new LinkedHashSet<>();
            for (Peer peer : tunnel.peers()) {
                wanted.add(new Entry(ALL, peer.address()));
                peer.macAddresses().forEach(mac -> wanted.add(new Entry(mac.toLowerCase(java.util.Locale.ROOT),
                        peer.address())));
            }
            Set<Entry> held = permanent(device);
            for (Entry entry : held) {
                if (!wanted.contains(entry)) {
                    host.attempt(List.of("bridge", "fdb", "del", entry.mac(), "dev", device, "dst", entry.dst()));
                }
            }
            for (Entry entry : wanted) {
                if (!held.contains(entry)) {
                    // All-zero entries add up (one copy per host); a MAC is behind one host, which may change.
                    host.run("bridge", "fdb", entry.mac().equals(ALL) ? "append" : "replace", entry.mac(), "dev", device,
                            "dst", entry.dst(), "self", "permanent");
                }
            }
        }
    }

    /** The entries of the device's own table that were put there, not learned: "mac dst address ... permanent". */
    Set<Entry> permanent(String device) {
        Set<Entry> entries = new LinkedHashSet<>();
        for (String line : host.run("bridge", "fdb", "show", "dev", device).split("\n")) {
            List<String> words = new ArrayList<>(List.of(line.strip().split("\\s+")));
            int dst = words.indexOf("dst");
            if (dst > 0 && dst + 1 < words.size() && words.contains("permanent") && !words.contains("master")) {
                entries.add(new Entry(words.getFirst(), words.get(dst + 1)));
            }
        }
        return entries;
    }

    record Entry(String mac, String dst) {
    }
}
