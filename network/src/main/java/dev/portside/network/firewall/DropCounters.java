package dev.portside.network.firewall;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What each port's filter dropped, as named nftables counters: one per port, direction (what the
 * port sent: egress; what was sent to it: ingress) and reason, named so that all three read back
 * from the name. The ruleset is replaced whole on every change, so each render declares the
 * counters with the values the host held just before: the counts run on across re-renders, as a
 * Prometheus counter should.
 */
final class DropCounters {
    static final String EGRESS = "egress";
    static final String INGRESS = "ingress";
    /** A source MAC (or ARP sender MAC) not the port's. */
    static final String MAC = "mac";
    /** ARP or IP from an address not the port's. */
    static final String ADDRESS = "address";
    /** An ethertype the port may not carry. */
    static final String ETHERTYPE = "ethertype";
    /** No security group rule let it through. */
    static final String SECURITY_GROUP = "security_group";

    private static final Pattern NAME = Pattern.compile(
            "drop_([0-9a-f]{8}_[0-9a-f]{4}_[0-9a-f]{4}_[0-9a-f]{4}_[0-9a-f]{12})_(egress|ingress)_([a-z_]+)");

    /** One counter's meaning. */
    record Key(String portId, String direction, String reason) {
    }

    private DropCounters() {
    }

    static String name(String portId, String direction, String reason) {
        return "drop_" + portId.replace('-', '_') + "_" + direction + "_" + reason;
    }

    static Optional<Key> parse(String name) {
        Matcher m = NAME.matcher(name);
        return m.matches() ? Optional.of(new Key(m.group(1).replace('_', '-'), m.group(2), m.group(3)))
                : Optional.empty();
    }

    /** The counter's declaration in its table, starting from what the host counted so far. */
    static String declare(String name, Map<String, HostFirewall.Count> previous) {
        HostFirewall.Count count = previous.getOrDefault(name, new HostFirewall.Count(0, 0));
        return "\tcounter " + name + " { packets " + count.packets() + " bytes " + count.bytes() + " }\n";
    }

    /** A rule's counting of what it drops, in that counter. */
    static String count(String name) {
        return "counter name \"" + name + "\" ";
    }
}
