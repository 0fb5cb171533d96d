package dev.portside.agent;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Routers on this host, as Neutron's L3 agent makes them: a network namespace per router
 * ({@code qrouter-<id>}) that forwards, with a leg on each network it is on - a veth pair whose host
 * end ({@code tap...}) is on the network's bridge and whose router end ({@code qr-...}, {@code qg-...}
 * for the gateway) holds the router's addresses there - a default route through the external
 * subnet's gateway, the extra routes, and the address translation {@link RouterNat} renders.
 * {@link #apply} converges: whatever the namespace has, it ends as the spec says.
 */
public final class Routers {
    private static final String STATIC = "static";

    private final HostCommands host;
    private final Bridges bridges;

    public Routers(HostCommands host, Bridges bridges) {
        this.host = host;
        this.bridges = bridges;
    }

    /**
     * A router: its interfaces and gateway as ports (a port's network, MAC, MTU and addresses, as an
     * instance's interface is described), whether it SNATs, its extra routes and floating IPs.
     */
    public record Spec(String routerId, List<Guest.Nic> interfaces, Optional<Guest.Nic> gateway, boolean snat,
                       List<Route> routes, List<RouterNat.FloatingIp> floatingIps) {
        public Spec {
            interfaces = List.copyOf(interfaces);
            routes = List.copyOf(routes);
            floatingIps = List.copyOf(floatingIps);
        }
    }

    public record Route(String destination, String nexthop) {
    }

    public void apply(Spec spec) {
        String ns = Names.router(spec.routerId());
        if (!namespaces().contains(ns)) {
            host.run("ip", "netns", "add", ns);
        }
        host.run("ip", "netns", "exec", ns, "sysctl", "-qw", "net.ipv4.ip_forward=1", "net.ipv6.conf.all.forwarding=1");
        host.run("ip", "-n", ns, "link", "set", "lo", "up");
        Map<String, Guest.Nic> legs = new LinkedHashMap<>();
        spec.interfaces().forEach(nic -> legs.put(Names.routerLeg(nic.portId(), false), nic));
        spec.gateway().ifPresent(nic -> legs.put(Names.routerLeg(nic.portId(), true), nic));
        for (String present : legs(ns)) {
            if (!legs.containsKey(present)) {
                bridges.disconnectRouter(Names.TAP_PREFIX + present.substring(present.indexOf('-') + 1));
            }
        }
        legs.forEach((device, nic) -> {
            boolean gateway = device.startsWith(Names.ROUTER_GATEWAY_PREFIX);
            List<String> addresses = new ArrayList<>(cidrs(nic));
            if (gateway) {
                // Floating IPs are the gateway's addresses too, so that the external network finds them by ARP.
                spec.floatingIps().forEach(f -> addresses.add(f.floatingIpAddress() + "/32"));
            }
            plug(ns, device, nic, gateway ? List.of() : cidrs(nic));
            converge(ns, device, addresses);
        });
        String gatewayDevice = spec.gateway().map(nic -> Names.routerLeg(nic.portId(), true)).orElse("");
        Optional<String> nexthop = spec.gateway().flatMap(nic -> nic.addresses().stream()
                .filter(a -> a.version() == 4).findFirst()).flatMap(Guest.Address::gateway);
        if (nexthop.isPresent()) {
            host.run("ip", "-n", ns, "route", "replace", "default", "via", nexthop.get(), "dev", gatewayDevice);
        } else {
            host.attempt(List.of("ip", "-n", ns, "route", "del", "default"));
        }
        routes(ns, spec.routes());
        host.run(List.of("ip", "netns", "exec", ns, "nft", "-f", "-"),
                RouterNat.render(gatewayDevice, spec.gateway().map(Routers::firstIpv4).orElse(Optional.empty()),
                        spec.snat(), spec.floatingIps()));
    }

    /** Removes the router: its legs (their addresses return to the host where instances need them), then its namespace. */
    public void remove(String routerId) {
        String ns = Names.router(routerId);
        if (!namespaces().contains(ns)) {
            return;
        }
        for (String leg : legs(ns)) {
            bridges.disconnectRouter(Names.TAP_PREFIX + leg.substring(leg.indexOf('-') + 1));
        }
        host.run("ip", "netns", "del", ns);
    }

    /** The ids of the routers this host has. */
    public List<String> routerIds() {
        return namespaces().stream().map(ns -> ns.substring(Names.ROUTER_PREFIX.length())).toList();
    }

    // The veth pair of one leg, made if missing (or half there), the router end named and addressed by the caller.
    private void plug(String ns, String device, Guest.Nic nic, List<String> routerHeld) {
        String tap = Names.TAP_PREFIX + device.substring(device.indexOf('-') + 1);
        boolean present = host.attempt(List.of("ip", "-n", ns, "link", "show", "dev", device)).exit() == 0
                && host.attempt(List.of("ip", "link", "show", "dev", tap)).exit() == 0;
        if (!present) {
            host.attempt(List.of("ip", "link", "del", tap));
            host.attempt(List.of("ip", "-n", ns, "link", "del", device));
            host.run("ip", "link", "add", tap, "mtu", String.valueOf(nic.mtu()), "type", "veth", "peer", "name", device,
                    "mtu", String.valueOf(nic.mtu()), "netns", ns);
        }
        host.run("ip", "-n", ns, "link", "set", device, "address", nic.macAddress(), "mtu", String.valueOf(nic.mtu()),
                "up");
        bridges.connectRouter(nic, tap, routerHeld);
    }

    // The device holds exactly these addresses (its link-local IPv6 address aside).
    private void converge(String ns, String device, List<String> wanted) {
        Set<String> present = new LinkedHashSet<>();
        for (String line : host.run("ip", "-n", ns, "-o", "addr", "show", "dev", device).split("\n")) {
            String[] words = line.strip().split("\\s+");
            for (int i = 0; i + 1 < words.length; i++) {
                if ((words[i].equals("inet") || words[i].equals("inet6")) && !words[i + 1].startsWith("fe80:")) {
                    present.add(words[i + 1]);
                }
            }
        }
        for (String address : present) {
            if (!wanted.contains(address)) {
                host.attempt(List.of("ip", "-n", ns, "addr", "del", address, "dev", device));
            }
        }
        for (String address : wanted) {
            if (!present.contains(address)) {
                // nodad: the address is the router's by the database's word; waiting for DAD would delay routing.
                host.run(address.contains(":") ? List.of("ip", "-n", ns, "addr", "add", address, "dev", device, "nodad")
                        : List.of("ip", "-n", ns, "addr", "add", address, "dev", device));
            }
        }
    }

    // Extra routes are the namespace's "static" routes: exactly the spec's.
    private void routes(String ns, List<Route> wanted) {
        Set<String> keep = new LinkedHashSet<>();
        for (Route route : wanted) {
            host.run("ip", "-n", ns, "route", "replace", route.destination(), "via", route.nexthop(), "proto", STATIC);
            keep.add(route.destination());
        }
        for (String family : List.of("-4", "-6")) {
            for (String line : host.run("ip", family, "-n", ns, "route", "show", "proto", STATIC).split("\n")) {
                String destination = line.strip().split("\\s+")[0];
                if (!destination.isEmpty() && !keep.contains(destination)) {
                    host.attempt(List.of("ip", family, "-n", ns, "route", "del", destination, "proto", STATIC));
                }
            }
        }
    }

    private List<String> legs(String ns) {
        List<String> legs = new ArrayList<>();
        for (String line : host.run("ip", "-n", ns, "-o", "link", "show").split("\n")) {
            String[] words = line.strip().split(":\\s+");
            if (words.length > 1) {
                String name = words[1].split("@")[0];
                if (name.startsWith(Names.ROUTER_INTERFACE_PREFIX) || name.startsWith(Names.ROUTER_GATEWAY_PREFIX)) {
                    legs.add(name);
                }
            }
        }
        return legs;
    }

    private List<String> namespaces() {
        List<String> names = new ArrayList<>();
        for (String line : host.run("ip", "netns", "list").split("\n")) {
            String name = line.strip().split("\\s+")[0];
            if (name.startsWith(Names.ROUTER_PREFIX)) {
                names.add(name);
            }
        }
        return names;
    }

    private static List<String> cidrs(Guest.Nic nic) {
        return nic.addresses().stream().map(a -> a.ip() + "/" + a.prefixLength()).toList();
    }

    private static Optional<String> firstIpv4(Guest.Nic nic) {
        return nic.addresses().stream().filter(a -> a.version() == 4).map(Guest.Address::ip).findFirst();
    }
}
