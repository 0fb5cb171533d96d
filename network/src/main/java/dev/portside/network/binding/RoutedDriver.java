package dev.portside.network.binding;

import java.util.Map;
import java.util.Optional;

/**
 * Ports on a routed host: each a tap device whose addresses the host routes to (as Calico does,
 * vif_type "tap"), an L3 backend. Such a backend cannot carry a port that has no address.
 */
public final class RoutedDriver implements MechanismDriver {
    @Override
    public String name() {
        return "routed";
    }

    @Override
    public String connectivity() {
        return "l3";
    }

    @Override
    public Optional<Binding> bind(BindingRequest request) {
        // It routes to the port's addresses: with none (unaddressed, or an addressed port left without any) there
        // is nothing to route.
        if (!request.vnicType().equals("normal") || !request.hasAddresses()) {
            return Optional.empty();
        }
        return Optional.of(new Binding("tap", Map.of("connectivity", connectivity(), "port_filter", true)));
    }
}
