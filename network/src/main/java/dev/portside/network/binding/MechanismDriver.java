package dev.portside.network.binding;

import java.util.Optional;

/**
 * A mechanism driver binds ports on the hosts it serves, as an ML2 mechanism driver's bind_port
 * does (neutron_lib/plugins/ml2/api.py): it says what kind of interface the compute host must plug
 * ({@code binding:vif_type}) and how ({@code binding:vif_details}, including the backend's
 * {@code connectivity}: "l2", "l3" or "legacy"). Drivers know nothing of each other; the
 * {@link PortBinder} tries the ones configured for a host in order.
 */
public interface MechanismDriver {
    /** The name operators use in the configuration, e.g. "linuxbridge". */
    String name();

    /** What the backend gives a bound port: "l2" (a switched segment), "l3" (routed) or "legacy". */
    String connectivity();

    /** Binds the port on the host, or declines. */
    Optional<Binding> bind(BindingRequest request);
}
