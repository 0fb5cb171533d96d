package dev.portside.compute.network;

import dev.portside.common.auth.AuthContext;

import java.util.Optional;

/**
 * How compute reaches the network service (Nova's neutronv2 API, reduced to what Portside uses).
 * Lookups and port creation act as the user, so the network service's own policy decides what they
 * may see and use; binding, unbinding and deleting compute's ports act as the compute service.
 * Failures other than "not found" raise {@link NetworkFailure}.
 */
public interface NetworkClient {

    /** The port, if it exists and {@code caller} may see it. */
    Optional<NetworkPort> findPort(AuthContext caller, String portId);

    /** The network, if it exists and {@code caller} may see it. */
    Optional<NetworkInfo> findNetwork(AuthContext caller, String networkId);

    /** Every network {@code caller} may see (its project's and shared ones). */
    java.util.List<NetworkInfo> networks(AuthContext caller);

    /** A port compute makes for a server on a requested network, owned by the caller's project. */
    NetworkPort createPort(AuthContext caller, PortRequest request);

    /** Binds the port to {@code host} for the server: binding:host_id, device_id and device_owner. */
    NetworkPort bindPort(String portId, String host, String serverId, String deviceOwner);

    /** Where a bound port lives, for the host to wire it: its network's MTU and its addresses' subnets. */
    Topology topology(NetworkPort port);

    /** A port's network MTU and the subnets of its fixed IPs. */
    record Topology(int mtu, java.util.List<SubnetInfo> subnets) {
        public Topology {
            subnets = java.util.List.copyOf(subnets);
        }
    }

    /** Clears the binding and the device: the port is free for another server. */
    void unbindPort(String portId);

    /** Deletes a port compute created; a port already gone is not an error. */
    void deletePort(String portId);

    /** What compute asks for when it creates a port: the network, optionally one address, and its server. */
    record PortRequest(String networkId, Optional<String> fixedIp, String serverId, String deviceOwner) {
    }
}
