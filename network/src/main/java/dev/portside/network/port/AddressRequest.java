package dev.portside.network.port;

import java.util.Optional;

/** One {@code fixed_ips} entry of a request: a subnet, an address, or both. */
public record AddressRequest(Optional<String> subnetId, Optional<String> ipAddress) {
}
