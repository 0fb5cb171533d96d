package dev.portside.network.binding;

import java.util.Map;
import java.util.Optional;

/**
 * Ports plugged into a Linux bridge per network on the host: an L2 backend, the one Portside's
 * own dataplane uses. Mirrors Neutron's linuxbridge driver (vif_type "bridge").
 */
public final class LinuxBridgeDriver implements MechanismDriver {
    @Override
    public String name() {
        return "linuxbridge";
    }

    @Override
    public String connectivity() {
        return "l2";
    }

    @Override
    public Optional<Binding> bind(BindingRequest request) {
        if (!request.vnicType().equals("normal")) {
            return Optional.empty();
        }
        return Optional.of(new Binding("bridge", Map.of("connectivity", connectivity(), "port_filter", true)));
    }
}
