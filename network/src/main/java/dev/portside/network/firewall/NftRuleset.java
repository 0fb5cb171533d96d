package dev.portside.network.firewall;

import dev.portside.network.port.Port;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Renders the host's port filtering as one nftables script that replaces Portside's tables
 * atomically. All rule rendering lives here.
 *
 * <p>Two tables work together, because on this kind of host conntrack is not available to the
 * bridge family while bridged IP traffic does pass the inet hooks (br_netfilter): the {@code bridge}
 * table sees which port a frame comes from and goes to, drops what a port may not send or receive
 * (another MAC, another address, ARP for another address, ethertypes it may not carry) and marks the
 * packet with the ports' numbers; the {@code inet} table, stateful, lets established traffic through
 * and checks new traffic against the sending port's egress rules and the receiving port's ingress
 * rules, found by the marks. Traffic from the host to a port (SSH on a management network) is
 * checked against the port's ingress rules by its destination address.
 *
 * <p>What a port sends is judged at the bridge's prerouting hook, before the bridge learns the
 * frame's source MAC: a refused frame never teaches the bridge that another port's MAC lives
 * behind this one. Ports without port security are held there to a number of source MACs, in a
 * third table, {@code bridge portside_learning}, that is changed in place rather than replaced:
 * the MACs each port has used must outlive the re-render that any API change causes, or the limit
 * would start over every time.
 */
public final class NftRuleset {
    public static final String TABLE = "portside";
    public static final String LEARNING_TABLE = "portside_learning";
    private static final Set<String> PORTED = Set.of("tcp", "udp", "sctp", "udplite", "dccp");
    private static final Pattern PROTOCOL_NAME = Pattern.compile("[a-z0-9-]+");
    private static final String IPV6_LINK_LOCAL = "fe80::/10";
    // Always carried by a port with port security, judged by its addresses and security group rules.
    private static final List<String> FILTERED_ETHERTYPES = List.of("arp", "ip", "ip6");

    private NftRuleset() {
    }

    /**
     * The script, and the ports whose learned-MAC sets it leaves on the host. {@code learning} is
     * what the last applied script left, or empty when unknown (at start-up, or after a failed
     * apply): the learning table is then made afresh.
     */
    public record Script(String text, Set<String> learning) {
        public Script {
            learning = Set.copyOf(learning);
        }
    }

    public static Script render(List<PortFilter> filters, FilterSettings settings, Optional<Set<String>> learning) {
        return render(filters, settings, learning, Map.of());
    }

    /**
     * As {@link #render(List, FilterSettings, Optional)}, each port's drop counters starting from
     * {@code counted}, what the host's counters held before this script replaces them.
     */
    public static Script render(List<PortFilter> filters, FilterSettings settings, Optional<Set<String>> learning,
                                Map<String, HostFirewall.Count> counted) {
        StringBuilder nft = new StringBuilder();
        // Declaring then deleting makes the replacement work whether or not the tables exist.
        nft.append("table bridge ").append(TABLE).append('\n').append("delete table bridge ").append(TABLE).append('\n');
        nft.append("table inet ").append(TABLE).append('\n').append("delete table inet ").append(TABLE).append('\n');
        List<Numbered> secured = new ArrayList<>();
        // Ports without port security, held to a number of source MACs (none, without a limit).
        List<PortFilter> open = new ArrayList<>();
        for (int i = 0; i < filters.size(); i++) {
            PortFilter port = filters.get(i);
            // A port's number is its place among the host's ports: marks carry it to the inet table.
            if (port.portSecurity()) {
                secured.add(new Numbered(i + 1, port));
            } else if (settings.macLearningLimit() > 0) {
                open.add(port);
            }
        }
        // With nothing to filter, Portside leaves no table behind.
        if (!secured.isEmpty()) {
            bridgeTable(nft, secured, settings, counted);
            inetTable(nft, secured, counted);
        }
        Set<String> learned = open.stream().map(PortFilter::device).collect(Collectors.toSet());
        return new Script(nft.append(learningTable(open, learned, settings, learning)).toString(), learned);
    }

    private record Numbered(int number, PortFilter port) {
    }

    private static void bridgeTable(StringBuilder nft, List<Numbered> secured, FilterSettings settings,
                                    Map<String, HostFirewall.Count> counted) {
        nft.append("table bridge ").append(TABLE).append(" {\n");
        for (Numbered n : secured) {
            String id = n.port().portId();
            for (String reason : List.of(DropCounters.MAC, DropCounters.ADDRESS, DropCounters.ETHERTYPE)) {
                nft.append(DropCounters.declare(DropCounters.name(id, DropCounters.EGRESS, reason), counted));
            }
            nft.append(DropCounters.declare(DropCounters.name(id, DropCounters.INGRESS, DropCounters.ETHERTYPE), counted));
        }
        StringBuilder prerouting = new StringBuilder();
        StringBuilder forward = new StringBuilder();
        for (Numbered n : secured) {
            String device = "\t\tiifname \"" + n.port().device() + "\" ";
            prerouting.append(device).append("jump from_").append(n.number()).append('\n');
            prerouting.append(device).append("meta mark set meta mark or ").append(egressMark(n.number())).append('\n');
            String to = "\t\toifname \"" + n.port().device() + "\" ";
            forward.append(to).append("jump to_").append(n.number()).append('\n');
            forward.append(to).append("meta mark set meta mark or ").append(ingressMark(n.number())).append('\n');
        }
        chain(nft, "prerouting_ports", "type filter hook prerouting priority -200; policy accept;", prerouting.toString());
        chain(nft, "forward_ports", "type filter hook forward priority -200; policy accept;", forward.toString());
        for (Numbered n : secured) {
            chain(nft, "from_" + n.number(), null, from(n.port(), settings.unaddressed()));
            chain(nft, "to_" + n.number(), null, "\t\tether type != " + carried(n.port()) + " "
                    + DropCounters.count(DropCounters.name(n.port().portId(), DropCounters.INGRESS, DropCounters.ETHERTYPE))
                    + "drop\n");
        }
        nft.append("}\n");
    }

    /**
     * The learned-MAC set of each port without port security, with a rule that drops a frame from
     * one MAC more than the set may hold, before the bridge can learn it; known MACs stay fresh.
     * Sets of ports still here are kept (declaring an existing set keeps its elements), those of
     * ports gone are deleted, and the rules are written again.
     */
    private static String learningTable(List<PortFilter> open, Set<String> learned, FilterSettings settings,
                                        Optional<Set<String>> learning) {
        String table = "bridge " + LEARNING_TABLE;
        StringBuilder nft = new StringBuilder();
        // Made afresh when what the host holds is unknown; gone with the last port it served.
        boolean held = learning.map(devices -> !devices.isEmpty()).orElse(true);
        if (learning.isEmpty() || open.isEmpty() && held) {
            nft.append("table ").append(table).append("\ndelete table ").append(table).append('\n');
        }
        if (open.isEmpty()) {
            return nft.toString();
        }
        nft.append("table ").append(table).append('\n');
        nft.append("add chain ").append(table).append(" prerouting { type filter hook prerouting priority -199;"
                + " policy accept; }\n");
        nft.append("flush chain ").append(table).append(" prerouting\n");
        for (PortFilter port : open) {
            nft.append("add set ").append(table).append(' ').append(learnedSet(port.device()))
                    .append(" { type ether_addr; size ").append(settings.macLearningLimit())
                    .append("; flags dynamic,timeout; timeout ").append(settings.macAgeing().toSeconds()).append("s; }\n");
        }
        learning.orElse(Set.of()).stream().filter(device -> !learned.contains(device)).sorted()
                .forEach(gone -> nft.append("delete set ").append(table).append(' ').append(learnedSet(gone)).append('\n'));
        for (PortFilter port : open) {
            String rule = "add rule " + table + " prerouting iifname \"" + port.device() + "\" ";
            nft.append(rule).append("update @").append(learnedSet(port.device())).append(" { ether saddr } accept\n");
            nft.append(rule).append("drop\n");
        }
        return nft.toString();
    }

    // nft names may not hold the dash of a device name.
    private static String learnedSet(String device) {
        return "learned_" + device.replace('-', '_');
    }

    /**
     * What a port may send: frames from its MACs only (ARP's sender MAC included); ARP and IP from its
     * addresses, or, for a port without addresses under Portside's default, from any address (its
     * security group rules then decide); IPv6 link-local for neighbour discovery; and the ethertypes
     * it is allowed besides.
     */
    private static String from(PortFilter port, FilterSettings.Unaddressed unaddressed) {
        StringBuilder rules = new StringBuilder();
        Set<String> macs = new java.util.TreeSet<>();
        macs.add(port.macAddress());
        port.sources().forEach(s -> macs.add(s.macAddress()));
        String forgedMac = DropCounters.count(DropCounters.name(port.portId(), DropCounters.EGRESS, DropCounters.MAC));
        rules.append("\t\tether saddr != ").append(set(macs)).append(' ').append(forgedMac).append("drop\n");
        rules.append("\t\tarp saddr ether != ").append(set(macs)).append(' ').append(forgedMac).append("drop\n");
        boolean byAddress = !(port.unaddressed() && unaddressed == FilterSettings.Unaddressed.MAC);
        if (!byAddress) {
            rules.append("\t\tether type ").append(set(FILTERED_ETHERTYPES)).append(" return\n");
        } else {
            List<String> v4 = prefixes(port, 4);
            List<String> v6 = new ArrayList<>(List.of("::", IPV6_LINK_LOCAL));
            v6.addAll(prefixes(port, 6));
            if (!v4.isEmpty()) {
                rules.append("\t\tether type arp arp saddr ip ").append(set(v4)).append(" return\n");
                rules.append("\t\tether type ip ip saddr ").append(set(v4)).append(" return\n");
            }
            rules.append("\t\tether type ip6 ip6 saddr ").append(set(v6)).append(" return\n");
        }
        if (!port.ethertypes().isEmpty()) {
            rules.append("\t\tether type ").append(set(port.ethertypes().stream().map(Port::ethertype).toList()))
                    .append(" return\n");
        }
        if (byAddress) {
            rules.append("\t\tether type ").append(set(FILTERED_ETHERTYPES)).append(' ')
                    .append(DropCounters.count(DropCounters.name(port.portId(), DropCounters.EGRESS, DropCounters.ADDRESS)))
                    .append("drop\n");
        }
        rules.append("\t\t").append(DropCounters.count(DropCounters.name(port.portId(), DropCounters.EGRESS,
                DropCounters.ETHERTYPE))).append("drop\n");
        return rules.toString();
    }

    // The ethertypes a port may receive: ARP and IP (for its rules to judge) and its allowed ones.
    private static String carried(PortFilter port) {
        List<String> types = new ArrayList<>(FILTERED_ETHERTYPES);
        port.ethertypes().forEach(e -> types.add(Port.ethertype(e)));
        return set(types);
    }

    private static void inetTable(StringBuilder nft, List<Numbered> ports, Map<String, HostFirewall.Count> counted) {
        nft.append("table inet ").append(TABLE).append(" {\n");
        for (Numbered n : ports) {
            for (String direction : List.of(DropCounters.EGRESS, DropCounters.INGRESS)) {
                nft.append(DropCounters.declare(DropCounters.name(n.port().portId(), direction,
                        DropCounters.SECURITY_GROUP), counted));
            }
        }
        StringBuilder forward = new StringBuilder("\t\tmeta mark & 0xffffffff == 0x0 accept\n"
                + "\t\tct state established,related accept\n\t\tct state invalid drop\n");
        StringBuilder input = new StringBuilder("\t\tmeta mark & 0xffff0000 == 0x0 accept\n"
                + "\t\tct state established,related accept\n\t\tct state invalid drop\n");
        StringBuilder output = new StringBuilder("\t\tct state established,related accept\n");
        for (Numbered n : ports) {
            int number = n.number();
            forward.append("\t\tmeta mark & 0xffff0000 == ").append(egressMark(number)).append(" jump egress_").append(number).append('\n');
            input.append("\t\tmeta mark & 0xffff0000 == ").append(egressMark(number)).append(" jump egress_").append(number).append('\n');
        }
        for (Numbered n : ports) {
            int number = n.number();
            forward.append("\t\tmeta mark & 0x0000ffff == ").append(ingressMark(number)).append(" jump ingress_").append(number).append('\n');
            List<String> v4 = prefixes(n.port(), 4);
            List<String> v6 = prefixes(n.port(), 6);
            if (!v4.isEmpty()) {
                output.append("\t\tip daddr ").append(set(v4)).append(" jump ingress_").append(number).append('\n');
            }
            if (!v6.isEmpty()) {
                output.append("\t\tip6 daddr ").append(set(v6)).append(" jump ingress_").append(number).append('\n');
            }
        }
        chain(nft, "forward_ports", "type filter hook forward priority 0; policy accept;", forward.toString());
        chain(nft, "input_ports", "type filter hook input priority 0; policy accept;", input.toString());
        chain(nft, "output_ports", "type filter hook output priority 0; policy accept;", output.toString());
        for (Numbered n : ports) {
            chain(nft, "egress_" + n.number(), null, rules(n.port(), "egress"));
            chain(nft, "ingress_" + n.number(), null, rules(n.port(), "ingress"));
        }
        nft.append("}\n");
    }

    private static String rules(PortFilter port, String direction) {
        StringBuilder rules = new StringBuilder();
        // Neighbour discovery always passes, as Neutron's firewalls allow it.
        rules.append("\t\ticmpv6 type { nd-neighbor-solicit, nd-neighbor-advert, nd-router-solicit, nd-router-advert }"
                + " return\n");
        for (PortFilter.Rule rule : port.rules()) {
            if (rule.direction().equals(direction)) {
                rule(rule, direction).ifPresent(r -> rules.append("\t\t").append(r).append(" return\n"));
            }
        }
        rules.append("\t\t").append(DropCounters.count(DropCounters.name(port.portId(), direction,
                DropCounters.SECURITY_GROUP))).append("drop\n");
        return rules.toString();
    }

    /** One security group rule as an nft match; empty when it can match nothing (a remote group with no members). */
    static java.util.Optional<String> rule(PortFilter.Rule rule, String direction) {
        boolean v6 = rule.ethertype().equals("IPv6");
        List<String> match = new ArrayList<>();
        match.add("meta nfproto " + (v6 ? "ipv6" : "ipv4"));
        if (rule.remotes().isPresent()) {
            if (rule.remotes().get().isEmpty()) {
                return java.util.Optional.empty();
            }
            match.add((v6 ? "ip6 " : "ip ") + (direction.equals("egress") ? "daddr " : "saddr ") + set(rule.remotes().get()));
        }
        rule.protocol().ifPresent(protocol -> match.add(protocol(protocol, v6, rule)));
        return java.util.Optional.of(String.join(" ", match));
    }

    private static String protocol(String asked, boolean v6, PortFilter.Rule rule) {
        String protocol = asked.toLowerCase(java.util.Locale.ROOT);
        if (!PROTOCOL_NAME.matcher(protocol).matches()) {
            throw new IllegalArgumentException("not a protocol: " + asked);
        }
        if (protocol.equals("icmp") && v6 || protocol.equals("ipv6-icmp") || protocol.equals("icmpv6") || protocol.equals("58")) {
            return "meta l4proto ipv6-icmp" + icmp("icmpv6", rule);
        }
        if (protocol.equals("icmp") || protocol.equals("1")) {
            return "meta l4proto icmp" + icmp("icmp", rule);
        }
        if (protocol.equals("6")) {
            protocol = "tcp";
        } else if (protocol.equals("17")) {
            protocol = "udp";
        }
        if (PORTED.contains(protocol) && rule.portRangeMin().isPresent()) {
            int min = rule.portRangeMin().get();
            int max = rule.portRangeMax().orElse(min);
            return protocol + " dport " + (min == max ? String.valueOf(min) : min + "-" + max);
        }
        return "meta l4proto " + protocol;
    }

    // For ICMP, Neutron's port_range_min is the type and port_range_max the code.
    private static String icmp(String family, PortFilter.Rule rule) {
        String match = rule.portRangeMin().map(type -> " " + family + " type " + type).orElse("");
        return match + rule.portRangeMax().filter(code -> rule.portRangeMin().isPresent())
                .map(code -> " " + family + " code " + code).orElse("");
    }

    private static List<String> prefixes(PortFilter port, int version) {
        return port.sources().stream().filter(s -> s.version() == version).map(PortFilter.Source::prefix).distinct().toList();
    }

    private static String set(java.util.Collection<String> elements) {
        return "{ " + elements.stream().distinct().collect(Collectors.joining(", ")) + " }";
    }

    private static String egressMark(int number) {
        return String.format("0x%08x", number << 16);
    }

    private static String ingressMark(int number) {
        return String.format("0x%08x", number);
    }

    private static void chain(StringBuilder nft, String name, String hook, String body) {
        nft.append("\tchain ").append(name).append(" {\n");
        if (hook != null) {
            nft.append("\t\t").append(hook).append('\n');
        }
        nft.append(body).append("\t}\n");
    }
}
