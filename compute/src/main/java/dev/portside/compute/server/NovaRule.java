package dev.portside.compute.server;

import dev.portside.compute.NovaErrors;
import dev.portside.compute.network.NetworkClient;
import dev.portside.compute.network.SecurityGroupInfo;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;

import java.util.Locale;
import java.util.Optional;

/**
 * An ingress rule as Nova's security group proxy sees one: a protocol with a port range (or ICMP
 * type and code, -1 for any), from a CIDR or from a source group. Built from what a user asks with
 * Nova's checks (nova.network.security_group_api._new_ingress_rule), or read from a Networking rule
 * as Nova converts one; two equal values are the same rule.
 */
record NovaRule(Optional<String> protocol, Optional<Integer> from, Optional<Integer> to, Optional<String> cidr,
                Optional<String> groupId) {

    /** A Networking ingress rule as Nova shows it: a protocol without ports is its whole range. */
    static NovaRule of(SecurityGroupInfo.Rule rule) {
        Optional<Integer> from = rule.portRangeMin();
        Optional<Integer> to = rule.portRangeMax();
        if (rule.protocol().isPresent() && from.isEmpty() && to.isEmpty()) {
            boolean ports = tcpOrUdp(rule.protocol().get());
            from = Optional.of(ports ? 1 : -1);
            to = Optional.of(ports ? 65535 : -1);
        }
        Optional<String> cidr = rule.remoteGroupId().isPresent() ? Optional.empty()
                : Optional.of(rule.remoteIpPrefix().orElse("0.0.0.0/0"));
        return new NovaRule(rule.protocol().map(p -> p.toLowerCase(Locale.ROOT)), from, to, cidr, rule.remoteGroupId());
    }

    /** What a user asks for, checked as Nova checks it; refused with Nova's 400s. */
    static NovaRule of(Optional<String> protocol, Optional<String> fromText, Optional<String> toText,
                       Optional<String> cidr, Optional<String> groupId) {
        cidr.ifPresent(NovaRule::checkCidr);
        Optional<String> upper = protocol.map(p -> p.toUpperCase(Locale.ROOT));
        if (groupId.isPresent() && fromText.isEmpty() && toText.isEmpty() && upper.isPresent()) {
            boolean ports = tcpOrUdp(upper.get());
            if (ports || upper.get().equals("ICMP")) {
                fromText = Optional.of(ports ? "1" : "-1");
                toText = Optional.of(ports ? "65535" : "-1");
            }
        }
        if (protocol.isEmpty() || fromText.isEmpty() || toText.isEmpty()) {
            if (groupId.isEmpty()) {
                throw NovaErrors.badRequest("Not enough parameters to build a valid rule.");
            }
            return new NovaRule(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), groupId);
        }
        int from;
        int to;
        try {
            from = Integer.parseInt(fromText.get());
            to = Integer.parseInt(toText.get());
        } catch (NumberFormatException e) {
            throw NovaErrors.badRequest("Invalid input received: " + (upper.get().equals("ICMP")
                    ? "Type and Code must be integers for ICMP protocol type" : "To and From ports must be integers"));
        }
        if (!tcpOrUdp(upper.get()) && !upper.get().equals("ICMP")) {
            throw NovaErrors.badRequest("Invalid IP protocol " + protocol.get() + ".");
        }
        if (tcpOrUdp(upper.get()) && from > to) {
            throw range(from, to, "Former value cannot be greater than the later");
        }
        if (tcpOrUdp(upper.get()) && (from < 1 || to > 65535)) {
            throw range(from, to, "Valid " + upper.get() + " ports should be between 1-65535");
        }
        if (upper.get().equals("ICMP") && (from < -1 || from > 255 || to < -1 || to > 255)) {
            throw range(from, to, "For ICMP, the type:code must be valid");
        }
        return new NovaRule(protocol.map(p -> p.toLowerCase(Locale.ROOT)), Optional.of(from), Optional.of(to),
                cidr, groupId);
    }

    /** The Networking rule Nova makes of it: ingress, -1 meaning no bound, a self-referencing one IPv4. */
    NetworkClient.RuleRequest toNetworking() {
        String ethertype = cidr.map(c -> new IPAddressString(c).getAddress().isIPv6() ? "IPv6" : "IPv4").orElse("IPv4");
        return new NetworkClient.RuleRequest("ingress", ethertype, protocol, from.filter(p -> p != -1),
                to.filter(p -> p != -1), cidr, groupId);
    }

    private static void checkCidr(String cidr) {
        IPAddress address = new IPAddressString(cidr).getAddress();
        if (address == null) {
            throw NovaErrors.badRequest(cidr + " is not a valid IP network.");
        }
        IPAddress network = new IPAddressString(cidr.split("/")[0]).getAddress();
        if (address.getNetworkPrefixLength() != null && address.getNetworkPrefixLength() == 0 && network != null
                && !network.isZero()) {
            throw NovaErrors.badRequest("Bad prefix for network in cidr " + cidr);
        }
    }

    private static boolean tcpOrUdp(String protocol) {
        return protocol.equalsIgnoreCase("tcp") || protocol.equalsIgnoreCase("udp");
    }

    private static dev.portside.common.http.ApiException range(int from, int to, String why) {
        return NovaErrors.badRequest("Invalid port range " + from + ":" + to + ". " + why);
    }
}
