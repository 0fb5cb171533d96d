package dev.portside.network.port;

import dev.portside.common.http.ApiException;
import dev.portside.network.NeutronErrors;
import dev.portside.network.ipam.Eui64;
import dev.portside.network.ipam.Ip;
import dev.portside.network.ipam.Ipam;
import dev.portside.network.subnet.Subnet;
import dev.portside.network.subnet.SubnetRules;
import inet.ipaddr.IPAddress;
import org.jdbi.v3.core.Handle;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which addresses a port gets, with Neutron's rules (neutron/db/ipam_pluggable_backend.py):
 * <ul>
 * <li>no {@code fixed_ips}: one address from an IPv4 subnet, one from a stateful IPv6 subnet, and its
 * EUI-64 address on every SLAAC subnet; none on a network without subnets;</li>
 * <li>{@code "fixed_ips": []}: no address at all (the caller marks the port {@code ip_allocation: none});</li>
 * <li>entries naming a subnet, an address, or both: exactly those.</li>
 * </ul>
 * Addresses are taken from IPAM here; the caller records them once the port row exists. A subnet's
 * gateway address goes only to a router's port.
 */
final class PortAddresses {
    private final Ipam ipam;
    private final PortStore ports;

    PortAddresses(Ipam ipam, PortStore ports) {
        this.ipam = ipam;
        this.ports = ports;
    }

    List<FixedIp> automatic(Handle h, String networkId, List<Subnet> subnets, String mac) {
        List<FixedIp> assigned = new ArrayList<>();
        for (int version : new int[] {4, 6}) {
            List<Subnet> pooled = subnets.stream().filter(s -> s.ipVersion() == version && !s.isAutoAddressed()).toList();
            if (pooled.isEmpty()) {
                continue;
            }
            Optional<FixedIp> taken = Optional.empty();
            for (Subnet subnet : pooled) {
                taken = ipam.takeAny(h, subnet.id()).map(ip -> new FixedIp(subnet.id(), Ip.text(version, ip)));
                if (taken.isPresent()) {
                    break;
                }
            }
            assigned.add(taken.orElseThrow(() -> exhausted(networkId)));
        }
        for (Subnet subnet : subnets) {
            if (subnet.isAutoAddressed()) {
                assigned.add(eui64(h, networkId, subnet, mac));
            }
        }
        return assigned;
    }

    /**
     * The addresses {@code requested} names. Addresses the port already {@code holds} and still asks for
     * are kept rather than taken again (for updates).
     */
    List<FixedIp> requested(Handle h, String networkId, List<Subnet> subnets, List<AddressRequest> requested, String mac,
                            List<FixedIp> holds, boolean routerPort) {
        List<FixedIp> assigned = new ArrayList<>();
        List<FixedIp> unclaimed = new ArrayList<>(holds);
        for (AddressRequest request : requested) {
            Subnet subnet = subnetFor(networkId, subnets, request);
            if (request.ipAddress().isEmpty()) {
                Optional<FixedIp> kept = unclaimed.stream().filter(ip -> ip.subnetId().equals(subnet.id())).findFirst();
                if (kept.isPresent()) {
                    unclaimed.remove(kept.get());
                    assigned.add(kept.get());
                } else if (subnet.isAutoAddressed()) {
                    assigned.add(eui64(h, networkId, subnet, mac));
                } else {
                    assigned.add(ipam.takeAny(h, subnet.id()).map(ip -> new FixedIp(subnet.id(), Ip.text(subnet.ipVersion(), ip)))
                            .orElseThrow(() -> exhausted(networkId)));
                }
                continue;
            }
            IPAddress address = Ip.address(request.ipAddress().get()).orElseThrow(() -> NeutronErrors.invalidAttribute(
                    "fixed_ips", "'" + request.ipAddress().get() + "' is not a valid IP address."));
            FixedIp wanted = new FixedIp(subnet.id(), Ip.text(address));
            if (unclaimed.remove(wanted)) {
                assigned.add(wanted);
                continue;
            }
            SubnetRules.Block block = SubnetRules.block(subnet.cidr(), subnet.ipVersion());
            // A subnet's gateway address is a router's to hold, as in Neutron, no other port's.
            boolean isGateway = !routerPort && subnet.gatewayIp().filter(g -> g.equals(wanted.ipAddress())).isPresent();
            if (!block.isHost(address.getValue())) {
                throw new ApiException(400, "InvalidIpForSubnet", "IP address " + wanted.ipAddress()
                        + " is not a valid IP for the specified subnet.");
            }
            if (isGateway || ports.addressInUse(h, networkId, wanted.ipAddress())) {
                throw alreadyAllocated(wanted);
            }
            ipam.take(h, subnet.id(), address.getValue());
            assigned.add(wanted);
        }
        return assigned;
    }

    /** Returns an address the port no longer holds to its subnet's pools. */
    void release(Handle h, Subnet subnet, FixedIp ip) {
        if (!subnet.isAutoAddressed()) {
            ipam.giveBack(h, subnet.id(), Ip.address(ip.ipAddress()).orElseThrow().getValue(),
                    SubnetRules.ranges(subnet.allocationPools()));
        }
    }

    static ApiException alreadyAllocated(FixedIp ip) {
        return new ApiException(409, "IpAddressAlreadyAllocated", "IP address " + ip.ipAddress()
                + " already allocated in subnet " + ip.subnetId());
    }

    private FixedIp eui64(Handle h, String networkId, Subnet subnet, String mac) {
        BigInteger prefix = SubnetRules.block(subnet.cidr(), 6).first();
        FixedIp ip = new FixedIp(subnet.id(), Ip.text(6, Eui64.address(prefix, mac)));
        if (ports.addressInUse(h, networkId, ip.ipAddress())) {
            throw alreadyAllocated(ip);
        }
        return ip;
    }

    private static Subnet subnetFor(String networkId, List<Subnet> subnets, AddressRequest request) {
        if (request.subnetId().isPresent()) {
            return subnets.stream().filter(s -> s.id().equals(request.subnetId().get())).findFirst().orElseThrow(() ->
                    NeutronErrors.invalidInput("Failed to create port on network " + networkId
                            + ", because fixed_ips included invalid subnet " + request.subnetId().get()));
        }
        IPAddress address = Ip.address(request.ipAddress().orElseThrow()).orElseThrow(() -> NeutronErrors
                .invalidAttribute("fixed_ips", "'" + request.ipAddress().get() + "' is not a valid IP address."));
        return subnets.stream()
                .filter(s -> s.ipVersion() == Ip.version(address)
                        && SubnetRules.block(s.cidr(), s.ipVersion()).contains(address.getValue()))
                .findFirst()
                .orElseThrow(() -> new ApiException(400, "InvalidIpForNetwork", "IP address " + request.ipAddress().get()
                        + " is not a valid IP for any of the subnets on the specified network."));
    }

    private static ApiException exhausted(String networkId) {
        return new ApiException(409, "IpAddressGenerationFailure", "No more IP addresses available on network "
                + networkId + ".");
    }
}
