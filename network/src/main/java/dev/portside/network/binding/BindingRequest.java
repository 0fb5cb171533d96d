package dev.portside.network.binding;

/** What a driver is asked to bind: a port of a network, with or without addresses, on a host. */
public record BindingRequest(String portId, String networkId, String host, boolean hasAddresses, String vnicType) {
}
