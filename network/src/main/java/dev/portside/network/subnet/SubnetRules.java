package dev.portside.network.subnet;

import dev.portside.common.http.ApiException;
import dev.portside.network.NeutronErrors;
import dev.portside.network.ipam.Ip;
import dev.portside.network.ipam.Ipam.Range;
import inet.ipaddr.IPAddress;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Neutron's rules for a subnet's addresses (neutron/db/ipam_backend_mixin.py, neutron/ipam/utils.py):
 * a canonical CIDR of the stated IP version, a gateway inside it, pools inside it that neither
 * overlap nor hold the gateway, default pools of every host address but the gateway, and /64 for
 * EUI-64 addressing.
 */
public final class SubnetRules {
    public static final Set<String> IPV6_MODES = Set.of("slaac", "dhcpv6-stateful", "dhcpv6-stateless");
    private static final int MAX_DNS_NAMESERVERS = 5;
    private static final int MAX_HOST_ROUTES = 20;

    private SubnetRules() {
    }

    /** A validated CIDR: its version, prefix length and first and last address. */
    public record Block(int version, int prefixLength, BigInteger first, BigInteger last, String text) {
        public boolean contains(BigInteger address) {
            return first.compareTo(address) <= 0 && last.compareTo(address) >= 0;
        }

        public boolean overlaps(Block other) {
            return first.compareTo(other.last) <= 0 && other.first.compareTo(last) <= 0;
        }

        /** A usable host address: inside, and for IPv4 neither the network nor the broadcast address. */
        public boolean isHost(BigInteger address) {
            if (!contains(address)) {
                return false;
            }
            boolean edge = address.equals(first) || address.equals(last);
            return !(version == 4 && prefixLength < 31 && edge);
        }
    }

    public static Block block(String cidr, int ipVersion) {
        IPAddress address = Ip.cidr(cidr).orElseThrow(() -> NeutronErrors.invalidInput(cidr + " is not in a CIDR format."));
        if (Ip.version(address) != ipVersion) {
            throw NeutronErrors.invalidInput("Cidr and IP version mismatch: " + cidr + " is not an IPv" + ipVersion + " subnet.");
        }
        IPAddress prefixBlock = address.toPrefixBlock();
        if (!address.equals(prefixBlock)) {
            throw NeutronErrors.invalidInput("'" + cidr + "' isn't a recognized IP subnet cidr, '"
                    + prefixBlock.toCanonicalString() + "' is recommended");
        }
        return new Block(ipVersion, address.getNetworkPrefixLength(), prefixBlock.getValue(), prefixBlock.getUpperValue(),
                prefixBlock.toCanonicalString());
    }

    public static BigInteger address(String attribute, String text, Block block) {
        IPAddress address = Ip.address(text).orElseThrow(() ->
                NeutronErrors.invalidAttribute(attribute, "'" + text + "' is not a valid IP address."));
        if (Ip.version(address) != block.version()) {
            throw NeutronErrors.invalidInput(attribute + " " + text + " is not an IPv" + block.version() + " address.");
        }
        return address.getValue();
    }

    /** The gateway: as given (null for none), or by default the first address after the network's. */
    public static Optional<BigInteger> gateway(Optional<Optional<String>> requested, Block block) {
        if (requested.isPresent()) {
            if (requested.get().isEmpty()) {
                return Optional.empty();
            }
            BigInteger gateway = address("gateway_ip", requested.get().get(), block);
            if (!block.isHost(gateway)) {
                throw NeutronErrors.invalidInput("Gateway IP " + requested.get().get() + " is not a usable address of "
                        + block.text() + ".");
            }
            return Optional.of(gateway);
        }
        BigInteger first = block.first().add(BigInteger.ONE);
        return block.contains(first) && block.isHost(first) ? Optional.of(first) : Optional.empty();
    }

    /** Pools as requested, checked; or Neutron's default: every host address but the gateway. */
    public static List<Range> pools(Optional<List<Range>> requested, Block block, Optional<BigInteger> gateway) {
        if (requested.isPresent()) {
            List<Range> pools = new ArrayList<>(requested.get());
            pools.sort(Comparator.comparing(Range::first));
            for (int i = 0; i < pools.size(); i++) {
                Range pool = pools.get(i);
                String text = Ip.text(block.version(), pool.first()) + "-" + Ip.text(block.version(), pool.last());
                if (pool.first().compareTo(pool.last()) > 0 || !block.isHost(pool.first()) || !block.isHost(pool.last())) {
                    throw NeutronErrors.invalidInput("The allocation pool " + text + " spans beyond the subnet cidr "
                            + block.text() + ".");
                }
                if (i > 0 && pools.get(i - 1).last().compareTo(pool.first()) >= 0) {
                    throw NeutronErrors.invalidInput("Found overlapping allocation pools: " + text);
                }
                if (gateway.isPresent() && pool.contains(gateway.get())) {
                    throw new ApiException(409, "GatewayConflictWithAllocationPools", "Gateway ip "
                            + Ip.text(block.version(), gateway.get()) + " conflicts with allocation pool " + text);
                }
            }
            return List.copyOf(pools);
        }
        BigInteger first = block.first().add(BigInteger.ONE);
        BigInteger last = block.version() == 4 ? block.last().subtract(BigInteger.ONE) : block.last();
        if (block.prefixLength() == (block.version() == 4 ? 32 : 128)) {
            return List.of(new Range(block.first(), block.last()));
        }
        if (first.compareTo(last) > 0) {
            return List.of();
        }
        List<Range> pools = new ArrayList<>();
        if (gateway.isPresent() && new Range(first, last).contains(gateway.get())) {
            if (first.compareTo(gateway.get()) < 0) {
                pools.add(new Range(first, gateway.get().subtract(BigInteger.ONE)));
            }
            if (gateway.get().compareTo(last) < 0) {
                pools.add(new Range(gateway.get().add(BigInteger.ONE), last));
            }
        } else {
            pools.add(new Range(first, last));
        }
        return pools;
    }

    /** A subnet's stored pools as address ranges. */
    public static List<Range> ranges(List<AllocationPool> pools) {
        return pools.stream().map(pool -> new Range(Ip.address(pool.start()).orElseThrow().getValue(),
                Ip.address(pool.end()).orElseThrow().getValue())).toList();
    }

    public static void ipv6Modes(int ipVersion, Optional<String> raMode, Optional<String> addressMode, Block block) {
        for (Optional<String> mode : List.of(raMode, addressMode)) {
            if (mode.isPresent() && ipVersion != 6) {
                throw NeutronErrors.invalidInput("ipv6_ra_mode and ipv6_address_mode are only valid on IPv6 subnets.");
            }
            if (mode.isPresent() && !IPV6_MODES.contains(mode.get())) {
                throw NeutronErrors.invalidAttribute("ipv6 mode", "'" + mode.get() + "' is not in " + IPV6_MODES);
            }
        }
        if (raMode.isPresent() && addressMode.isPresent() && !raMode.equals(addressMode)) {
            throw NeutronErrors.invalidInput("ipv6_ra_mode set to '" + raMode.get() + "' with ipv6_address_mode set to '"
                    + addressMode.get() + "' is not valid. If both attributes are set, they must be the same value");
        }
        boolean eui64 = addressMode.or(() -> raMode).filter(m -> !m.equals("dhcpv6-stateful")).isPresent();
        if (eui64 && block.prefixLength() != 64) {
            throw NeutronErrors.invalidInput("Invalid CIDR " + block.text() + " for IPv6 address mode. OpenStack uses the"
                    + " EUI-64 address format, which requires the prefix to be /64");
        }
    }

    public static List<String> nameservers(List<String> requested, int ipVersion) {
        if (requested.size() > MAX_DNS_NAMESERVERS) {
            throw NeutronErrors.invalidInput("Number of DNS nameservers exceeds the limit " + MAX_DNS_NAMESERVERS);
        }
        Set<String> seen = new HashSet<>();
        List<String> canonical = new ArrayList<>();
        for (String text : requested) {
            IPAddress address = Ip.address(text).filter(a -> Ip.version(a) == ipVersion).orElseThrow(() ->
                    NeutronErrors.invalidAttribute("dns_nameservers", "'" + text + "' is not a valid nameserver."));
            String normal = Ip.text(address);
            if (!seen.add(normal)) {
                throw NeutronErrors.invalidAttribute("dns_nameservers", "Duplicate nameserver '" + text + "'.");
            }
            canonical.add(normal);
        }
        return canonical;
    }

    public static List<HostRoute> hostRoutes(List<HostRoute> requested, int ipVersion) {
        if (requested.size() > MAX_HOST_ROUTES) {
            throw NeutronErrors.invalidInput("Number of host routes exceeds the limit " + MAX_HOST_ROUTES);
        }
        List<HostRoute> canonical = new ArrayList<>();
        for (HostRoute route : requested) {
            Block destination = block(route.destination(), ipVersion);
            IPAddress nexthop = Ip.address(route.nexthop()).filter(a -> Ip.version(a) == ipVersion).orElseThrow(() ->
                    NeutronErrors.invalidAttribute("host_routes", "'" + route.nexthop() + "' is not a valid nexthop."));
            canonical.add(new HostRoute(destination.text(), Ip.text(nexthop)));
        }
        return canonical;
    }

    /** Neutron refuses a subnet that overlaps another on the same network. */
    public static void noOverlap(Block block, List<Subnet> others, String networkId) {
        for (Subnet other : others) {
            if (other.ipVersion() == block.version() && block(other.cidr(), other.ipVersion()).overlaps(block)) {
                throw NeutronErrors.invalidInput("Requested subnet with cidr: " + block.text() + " for network: "
                        + networkId + " overlaps with another subnet");
            }
        }
    }
}
