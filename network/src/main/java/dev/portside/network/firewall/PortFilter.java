package dev.portside.network.firewall;

import java.util.List;
import java.util.Optional;

/**
 * What the host enforces for one port: who it may claim to be (its MAC, and the addresses and MACs
 * of its fixed IPs and allowed address pairs; {@code unaddressed} when it has no fixed IP), its
 * security groups' rules, with remote groups already resolved to their members' addresses, and the
 * ethertypes it may carry besides ARP, IPv4 and IPv6. A port without port security is not filtered,
 * only held to a number of source MACs.
 */
public record PortFilter(String portId, String device, String macAddress, boolean portSecurity, boolean unaddressed,
                         List<Source> sources, List<Rule> rules, List<Integer> ethertypes) {
    public PortFilter {
        sources = List.copyOf(sources);
        rules = List.copyOf(rules);
        ethertypes = List.copyOf(ethertypes);
    }

    /** An address (or prefix) the port may send from, with the MAC it may use for it. */
    public record Source(String prefix, String macAddress, int version) {
    }

    /**
     * One allow rule: direction "ingress" or "egress", ethertype "IPv4" or "IPv6", an optional
     * protocol with a port (or ICMP type/code) range, and the remote addresses: empty means any
     * address; a present list (maybe empty, for a group with no members) means only those.
     */
    public record Rule(String direction, String ethertype, Optional<String> protocol, Optional<Integer> portRangeMin,
                       Optional<Integer> portRangeMax, Optional<List<String>> remotes) {
        public Rule {
            remotes = remotes.map(List::copyOf);
        }
    }
}
