package dev.portside.network.port;

/** An address a port holds on one of its network's subnets. */
public record FixedIp(String subnetId, String ipAddress) {
}
