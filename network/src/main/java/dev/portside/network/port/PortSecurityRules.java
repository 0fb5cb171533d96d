package dev.portside.network.port;

import dev.portside.common.http.ApiException;
import dev.portside.network.NeutronErrors;
import dev.portside.network.ipam.Ip;
import inet.ipaddr.IPAddress;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Neutron's rules for port security, security groups and address pairs on one port
 * (neutron/db/portsecurity_db_common.py, allowedaddresspairs_db.py): groups and pairs need port
 * security on; a port keeps its groups unless they are removed in the same request that disables
 * port security. A port without addresses still gets the project's default group (as observed on
 * Neutron), which is what Portside's own port security for such ports builds on. Portside's allowed
 * ethertypes follow the address pairs' rules.
 */
final class PortSecurityRules {
    private static final int MAX_ADDRESS_PAIRS = 10;
    private static final int MAX_ALLOWED_ETHERTYPES = 16;
    // Below 0x0600 the field is an 802.3 length, not a type.
    private static final int FIRST_ETHERTYPE = 0x0600;
    private static final java.util.regex.Pattern HEX = java.util.regex.Pattern.compile("0[xX][0-9a-fA-F]{1,4}");
    // These always pass a port with port security, checked against its addresses and security group
    // rules; listing them would read as "unfiltered", which they never are.
    private static final java.util.Map<Integer, String> FILTERED = java.util.Map.of(0x0800, "IPv4", 0x0806, "ARP",
            0x86dd, "IPv6");

    private PortSecurityRules() {
    }

    /** The groups a port ends with, given what it had, what was asked, and whether port security is on. */
    static List<String> groups(boolean portSecurity, List<String> current, Optional<List<String>> requested) {
        if (requested.isPresent() && !requested.get().isEmpty() && !portSecurity) {
            throw new ApiException(400, "PortSecurityAndIPRequiredForSecurityGroups",
                    "Port security must be enabled and port must have an IP address in order to use security groups.");
        }
        List<String> result = requested.orElse(current);
        if (!portSecurity && !result.isEmpty()) {
            throw new ApiException(409, "PortSecurityPortHasSecurityGroup", "Port has security group associated. Cannot"
                    + " disable port security or IP address until security group is removed.");
        }
        return List.copyOf(new java.util.LinkedHashSet<>(result));
    }

    static List<AddressPair> pairs(boolean portSecurity, List<AddressPair> result) {
        if (!portSecurity && !result.isEmpty()) {
            throw new ApiException(409, "AddressPairAndPortSecurityRequired",
                    "Port Security must be enabled in order to have allowed address pairs on a port.");
        }
        return result;
    }

    /** Requested pairs, checked and normalised; a pair without a MAC uses the port's. */
    static List<AddressPair> normalise(List<AddressPair> requested, String portMac) {
        if (requested.size() > MAX_ADDRESS_PAIRS) {
            throw new ApiException(400, "AllowedAddressPairExhausted", "The number of allowed address pair exceeds the"
                    + " maximum " + MAX_ADDRESS_PAIRS + ".");
        }
        Set<AddressPair> seen = new HashSet<>();
        List<AddressPair> pairs = new ArrayList<>();
        for (AddressPair pair : requested) {
            IPAddress address = Ip.address(pair.ipAddress()).or(() -> Ip.cidr(pair.ipAddress()).map(IPAddress::toPrefixBlock))
                    .orElseThrow(() -> NeutronErrors.invalidAttribute("allowed_address_pairs", "'" + pair.ipAddress()
                            + "' is not a valid IP address or CIDR."));
            String mac = pair.macAddress() == null ? portMac : MacAddresses.normalise("allowed_address_pairs", pair.macAddress());
            AddressPair normal = new AddressPair(address.toCanonicalString(), mac);
            if (!seen.add(normal)) {
                throw NeutronErrors.invalidAttribute("allowed_address_pairs", "Duplicate address pair " + normal.ipAddress()
                        + " " + normal.macAddress() + " in the request.");
            }
            pairs.add(normal);
        }
        return pairs;
    }

    static List<Integer> ethertypes(boolean portSecurity, List<Integer> result) {
        if (!portSecurity && !result.isEmpty()) {
            throw new ApiException(409, "AllowedEthertypesAndPortSecurityRequired",
                    "Port security must be enabled in order to have allowed ethertypes on a port.");
        }
        return result;
    }

    /** Requested ethertypes ("0x8847"), checked, in numeric order. */
    static List<Integer> normaliseEthertypes(List<String> requested) {
        if (requested.size() > MAX_ALLOWED_ETHERTYPES) {
            throw NeutronErrors.invalidAttribute("allowed_ethertypes", "The number of allowed ethertypes exceeds the maximum "
                    + MAX_ALLOWED_ETHERTYPES + ".");
        }
        java.util.TreeSet<Integer> ethertypes = new java.util.TreeSet<>();
        for (String text : requested) {
            int ethertype = HEX.matcher(text).matches() ? Integer.parseInt(text.substring(2), 16) : -1;
            if (ethertype < FIRST_ETHERTYPE) {
                throw NeutronErrors.invalidAttribute("allowed_ethertypes", "'" + text + "' is not an ethertype: give a"
                        + " hexadecimal number from 0x0600 to 0xffff, such as 0x8847 for MPLS.");
            }
            if (FILTERED.containsKey(ethertype)) {
                throw NeutronErrors.invalidAttribute("allowed_ethertypes", Port.ethertype(ethertype) + " ("
                        + FILTERED.get(ethertype) + ") always passes, filtered by the port's addresses and security group"
                        + " rules; it cannot be listed.");
            }
            if (!ethertypes.add(ethertype)) {
                throw NeutronErrors.invalidAttribute("allowed_ethertypes", "Duplicate ethertype " + Port.ethertype(ethertype)
                        + " in the request.");
            }
        }
        return List.copyOf(ethertypes);
    }
}
