package dev.portside.network.secgroup;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portside.common.http.ApiException;
import dev.portside.common.json.Fields;
import dev.portside.network.NeutronErrors;
import dev.portside.network.ipam.Ip;
import inet.ipaddr.IPAddress;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Neutron's checks on a security group rule (neutron/db/securitygroups_db.py). */
final class RuleValidator {
    // The protocol names Neutron accepts, and their numbers.
    private static final Map<String, Integer> PROTOCOLS = Map.ofEntries(Map.entry("ah", 51), Map.entry("dccp", 33),
            Map.entry("egp", 8), Map.entry("esp", 50), Map.entry("gre", 47), Map.entry("icmp", 1),
            Map.entry("icmpv6", 58), Map.entry("ipv6-icmp", 58), Map.entry("igmp", 2), Map.entry("ipip", 4),
            Map.entry("ipv6-encap", 41), Map.entry("ipv6-frag", 44), Map.entry("ipv6-nonxt", 59),
            Map.entry("ipv6-opts", 60), Map.entry("ipv6-route", 43), Map.entry("ospf", 89), Map.entry("pgm", 113),
            Map.entry("rsvp", 46), Map.entry("sctp", 132), Map.entry("tcp", 6), Map.entry("udp", 17),
            Map.entry("udplite", 136), Map.entry("vrrp", 112));
    private static final Set<Integer> PORTED = Set.of(6, 17, 33, 132, 136);
    private static final Set<Integer> ICMP = Set.of(1, 58);

    private RuleValidator() {
    }

    static String direction(String direction) {
        if (!direction.equals("ingress") && !direction.equals("egress")) {
            throw NeutronErrors.invalidAttribute("direction", "'" + direction + "' is not in ['ingress', 'egress']");
        }
        return direction;
    }

    static String ethertype(Optional<String> ethertype) {
        String value = ethertype.orElse("IPv4");
        if (!value.equals("IPv4") && !value.equals("IPv6")) {
            throw new ApiException(400, "SecurityGroupRuleInvalidEtherType", "Security group rule for ethertype '"
                    + value + "' not supported. Allowed values are ['IPv4', 'IPv6'].");
        }
        return value;
    }

    /** A protocol name in lower case, or a number 0-255 as text; "any" and none mean every protocol. */
    static Optional<String> protocol(Optional<String> protocol) {
        if (protocol.isEmpty() || protocol.get().equalsIgnoreCase("any")) {
            return Optional.empty();
        }
        String value = protocol.get().toLowerCase(Locale.ROOT);
        if (PROTOCOLS.containsKey(value)) {
            return Optional.of(value);
        }
        try {
            int number = Integer.parseInt(value);
            if (number >= 0 && number <= 255) {
                return Optional.of(String.valueOf(number));
            }
        } catch (NumberFormatException notANumber) {
            // fall through to the error
        }
        throw new ApiException(400, "SecurityGroupRuleInvalidProtocol", "Security group rule protocol " + protocol.get()
                + " not supported. Only protocol values " + new java.util.TreeSet<>(PROTOCOLS.keySet())
                + " and integer representations [0 to 255] are supported.");
    }

    /**
     * A port, or an ICMP type or code, as Neutron's attribute converts it: null is none; a number
     * or a string of digits, 0 to 65535.
     */
    static Optional<Integer> port(Fields fields, String name) {
        JsonNode value = fields.node().get(name);
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        String text = value.isValueNode() ? value.asText() : value.toString();
        if ((value.isIntegralNumber() || value.isTextual()) && text.matches("-?[0-9]{1,9}")) {
            int port = Integer.parseInt(text);
            if (port >= 0 && port <= 65535) {
                return Optional.of(port);
            }
        }
        throw invalidPort(text);
    }

    /**
     * Neutron's checks of the range: ports for port-based protocols (1-65535, min ≤ max; a minimum
     * alone is that one port), a type (and code) for ICMP (0-255), no ports for other protocols.
     */
    static void ports(Optional<String> protocol, Optional<Integer> min, Optional<Integer> max) {
        if (min.isEmpty() && max.isEmpty()) {
            return;
        }
        if (protocol.isEmpty()) {
            throw new ApiException(400, "SecurityGroupProtocolRequiredWithPorts",
                    "Must also specify protocol if port range is given.");
        }
        // protocol() has already reduced the protocol to a known name or a number.
        int number = PROTOCOLS.containsKey(protocol.get()) ? PROTOCOLS.get(protocol.get()) : Integer.parseInt(protocol.get());
        if (ICMP.contains(number)) {
            icmpValue("type", "port_range_min", min);
            icmpValue("code", "port_range_max", max);
            if (min.isEmpty()) {
                throw new ApiException(400, "SecurityGroupMissingIcmpType", "ICMP code (port-range-max) " + max.get()
                        + " is provided but ICMP type (port-range-min) is missing.");
            }
            return;
        }
        if (!PORTED.contains(number)) {
            throw NeutronErrors.invalidInput("Ports can only be given for TCP, UDP, UDP-Lite, SCTP and DCCP rules.");
        }
        if (min.orElse(1) == 0 || max.orElse(1) == 0) {
            throw invalidPort("0");
        }
        if (min.isEmpty() || min.get() > max.orElse(min.get())) {
            throw new ApiException(400, "SecurityGroupInvalidPortRange",
                    "For TCP/UDP protocols, port_range_min must be <= port_range_max");
        }
    }

    private static ApiException invalidPort(String port) {
        return new ApiException(400, "SecurityGroupInvalidPortValue", "Invalid value for port " + port);
    }

    private static void icmpValue(String field, String attribute, Optional<Integer> value) {
        if (value.isPresent() && value.get() > 255) {
            throw new ApiException(400, "SecurityGroupInvalidIcmpValue", "Invalid value for ICMP " + field + " ("
                    + attribute + ") " + value.get() + ". It must be 0 to 255.");
        }
    }

    /**
     * A prefix of the rule's ethertype, kept as Neutron keeps it: as given, with the mask added when
     * absent ("10.0.0.5" is "10.0.0.5/32"; "10.0.0.5/24" stays so, and differs from "10.0.0.0/24").
     */
    static Optional<String> remotePrefix(Optional<String> prefix, String ethertype) {
        if (prefix.isEmpty()) {
            return prefix;
        }
        IPAddress address = Ip.cidr(prefix.get()).or(() -> Ip.address(prefix.get()).map(a -> a.setPrefixLength(
                a.isIPv4() ? 32 : 128, false))).orElseThrow(() -> NeutronErrors.invalidAttribute("remote_ip_prefix",
                "'" + prefix.get() + "' is not a valid IP subnet."));
        if (address.isIPv4() != ethertype.equals("IPv4")) {
            throw new ApiException(400, "SecurityGroupRuleParameterConflict", "Conflicting value ethertype " + ethertype
                    + " for CIDR " + prefix.get());
        }
        return Optional.of(address.toCanonicalString());
    }
}
