package dev.portside.compute.network;

import java.util.List;
import java.util.Optional;

/** A subnet as an instance's network configuration needs it: its CIDR, gateway and DNS servers. */
public record SubnetInfo(String id, int ipVersion, String cidr, Optional<String> gatewayIp, List<String> dnsNameservers) {
    public SubnetInfo {
        dnsNameservers = List.copyOf(dnsNameservers);
    }

    public int prefixLength() {
        return Integer.parseInt(cidr.substring(cidr.indexOf('/') + 1));
    }
}
