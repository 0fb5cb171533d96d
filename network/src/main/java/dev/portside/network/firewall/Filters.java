package dev.portside.network.firewall;

import dev.portside.network.port.AddressPair;
import dev.portside.network.port.FixedIp;
import dev.portside.network.port.Port;
import dev.portside.network.secgroup.SecurityGroupRule;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Computes each bound port's {@link PortFilter} from the ports and their security groups' rules. */
public final class Filters {
    private Filters() {
    }

    /** Filters for the ports bound to a host, in a stable order; {@code all} is every port (for remote groups). */
    public static List<PortFilter> of(List<Port> all, List<SecurityGroupRule> rules) {
        return of(all, rules, port -> true);
    }

    /** Filters for the ports bound to {@code host} (one compute host's share); {@code all} is every port. */
    public static List<PortFilter> on(String host, List<Port> all, List<SecurityGroupRule> rules) {
        return of(all, rules, port -> port.binding().hostId().equals(host));
    }

    private static List<PortFilter> of(List<Port> all, List<SecurityGroupRule> rules,
                                       java.util.function.Predicate<Port> wanted) {
        Map<String, List<String>> members = new HashMap<>();
        for (Port port : all) {
            for (String group : port.securityGroups()) {
                List<String> addresses = members.computeIfAbsent(group, g -> new ArrayList<>());
                port.fixedIps().forEach(ip -> addresses.add(ip.ipAddress()));
                port.allowedAddressPairs().forEach(pair -> addresses.add(pair.ipAddress()));
            }
        }
        Map<String, List<SecurityGroupRule>> rulesByGroup = new HashMap<>();
        rules.forEach(rule -> rulesByGroup.computeIfAbsent(rule.securityGroupId(), g -> new ArrayList<>()).add(rule));
        return all.stream().filter(p -> !p.binding().hostId().isEmpty()).filter(wanted)
                .sorted(java.util.Comparator.comparing(Port::id))
                .map(p -> filter(p, rulesByGroup, members)).toList();
    }

    private static PortFilter filter(Port port, Map<String, List<SecurityGroupRule>> rulesByGroup,
                                     Map<String, List<String>> members) {
        List<PortFilter.Source> sources = new ArrayList<>();
        for (FixedIp ip : port.fixedIps()) {
            sources.add(new PortFilter.Source(ip.ipAddress(), port.macAddress(), version(ip.ipAddress())));
        }
        for (AddressPair pair : port.allowedAddressPairs()) {
            String mac = pair.macAddress() == null ? port.macAddress() : pair.macAddress();
            sources.add(new PortFilter.Source(pair.ipAddress(), mac, version(pair.ipAddress())));
        }
        List<PortFilter.Rule> filterRules = new ArrayList<>();
        for (String group : port.securityGroups()) {
            for (SecurityGroupRule rule : rulesByGroup.getOrDefault(group, List.of())) {
                Optional<List<String>> remotes = rule.remoteGroupId().isPresent()
                        ? Optional.of(members.getOrDefault(rule.remoteGroupId().get(), List.of()).stream()
                        .filter(address -> version(address) == (rule.ethertype().equals("IPv6") ? 6 : 4)).toList())
                        : rule.remoteIpPrefix().map(Filters::network).map(List::of);
                filterRules.add(new PortFilter.Rule(rule.direction(), rule.ethertype(), rule.protocol(),
                        rule.portRangeMin(), rule.portRangeMax(), remotes));
            }
        }
        return new PortFilter(port.id(), "tap" + port.id().substring(0, 11), port.macAddress(),
                port.portSecurityEnabled(), port.unaddressed(), sources, filterRules, port.allowedEthertypes());
    }

    // A rule's prefix may name a host inside its network ("10.0.0.5/24"); it matches the whole network.
    private static String network(String prefix) {
        return dev.portside.network.ipam.Ip.cidr(prefix).map(a -> a.toPrefixBlock().toCanonicalString()).orElse(prefix);
    }

    private static int version(String address) {
        return address.contains(":") ? 6 : 4;
    }
}
