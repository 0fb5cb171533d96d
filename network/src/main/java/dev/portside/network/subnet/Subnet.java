package dev.portside.network.subnet;

import dev.portside.network.api.StandardResource;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** A Neutron subnet: an IPv4 or IPv6 range on a network, with its pools, gateway, routes and DNS servers. */
public record Subnet(String id, String networkId, String projectId, String name, String description, int ipVersion,
                     String cidr, Optional<String> gatewayIp, boolean enableDhcp, Optional<String> ipv6RaMode,
                     Optional<String> ipv6AddressMode, List<String> dnsNameservers, List<HostRoute> hostRoutes,
                     List<AllocationPool> allocationPools, Instant createdAt, Instant updatedAt, long revisionNumber)
        implements StandardResource {
    public Subnet {
        dnsNameservers = List.copyOf(dnsNameservers);
        hostRoutes = List.copyOf(hostRoutes);
        allocationPools = List.copyOf(allocationPools);
    }

    /**
     * Ports get their address on this subnet from their MAC (EUI-64), not from the pools: IPv6 SLAAC
     * and DHCPv6-stateless, as in Neutron's ipv6_utils.is_auto_address_subnet.
     */
    public boolean isAutoAddressed() {
        return ipv6AddressMode.filter(mode -> mode.equals("slaac") || mode.equals("dhcpv6-stateless")).isPresent()
                || ipv6RaMode.filter(mode -> mode.equals("slaac") || mode.equals("dhcpv6-stateless")).isPresent();
    }
}
