package dev.portside.network.binding;

/**
 * What a driver is asked to bind: a port of a network on a host, whether it holds any address, and
 * whether it is unaddressed ({@link dev.portside.common.net.IpAllocation#unaddressed}: no addresses
 * by design, which only an L2 backend can carry).
 */
public record BindingRequest(String portId, String networkId, String host, boolean hasAddresses, boolean unaddressed,
                             String vnicType) {
}
