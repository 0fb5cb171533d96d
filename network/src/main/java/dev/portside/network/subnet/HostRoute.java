package dev.portside.network.subnet;

/** A static route a subnet hands to its instances. */
public record HostRoute(String destination, String nexthop) {
}
