package dev.portside.compute.server;

import dev.portside.common.http.ApiException;
import dev.portside.common.net.IpAllocation;
import dev.portside.compute.NovaErrors;
import dev.portside.compute.network.NetworkPort;

import java.util.Optional;
import java.util.Set;

/**
 * The spec's rule for a port a user brings to a server (on create and on interface attach): it must
 * be there and free, and a port with no fixed IPs is accepted only when the network service marked
 * it {@code ip_allocation} "deferred" or "none". Once bound, a port with ip_allocation "none" must
 * have a binding whose backend gives {@code connectivity: l2}.
 */
final class PortRules {
    private static final Set<String> MAY_LACK_ADDRESSES = Set.of(IpAllocation.DEFERRED, IpAllocation.NONE);
    private static final String L2 = "l2";

    private PortRules() {
    }

    /** A port a request names; {@code missing} is how this API reports one it cannot see (400 on create, 404 on attach). */
    static NetworkPort requestable(String portId, Optional<NetworkPort> found, ApiException missing) {
        NetworkPort port = found.orElseThrow(() -> missing);
        if (port.inUse()) {
            throw portInUse(portId);
        }
        if (port.fixedIps().isEmpty() && !MAY_LACK_ADDRESSES.contains(port.ipAllocation())) {
            throw NovaErrors.badRequest("Port " + portId + " requires a FixedIP in order to be used.");
        }
        return port;
    }

    static ApiException portInUse(String portId) {
        return NovaErrors.conflict("Port " + portId + " is still in use.");
    }

    /** Why a port bound on {@code host} cannot serve the server, if it cannot. */
    static Optional<String> bindingProblem(NetworkPort bound, String host) {
        boolean unaddressed = bound.unaddressed();
        if (NetworkPort.BINDING_FAILED.equals(bound.vifType())) {
            return Optional.of(unaddressed
                    ? "Binding failed for port " + bound.id() + " on host " + host + ": the port has no IP address"
                    + " (ip_allocation none) and no mechanism driver on the host binds it with connectivity l2."
                    : "Binding failed for port " + bound.id() + " on host " + host
                    + ", please check the network service's logs for more information.");
        }
        if (unaddressed && !bound.connectivity().equals(Optional.of(L2))) {
            return Optional.of("Port " + bound.id() + " has no IP address (ip_allocation none) but host " + host
                    + " bound it with connectivity " + bound.connectivity().orElse("unknown")
                    + "; an unaddressed port needs connectivity l2.");
        }
        return Optional.empty();
    }
}
