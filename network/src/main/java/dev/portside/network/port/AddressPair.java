package dev.portside.network.port;

/** An extra address (or prefix) and MAC a port may send from, past anti-spoofing: allowed_address_pairs. */
public record AddressPair(String ipAddress, String macAddress) {
}
