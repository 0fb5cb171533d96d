package dev.portside.network.subnet;

/** A range of a subnet's addresses that IPAM hands out when a port names no address. */
public record AllocationPool(String start, String end) {
}
