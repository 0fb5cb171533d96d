package dev.portside.network.port;

import dev.portside.network.change.Change;
import dev.portside.network.change.ChangeListener;

import java.util.List;

/**
 * Neutron's Nova notifier: when a server's port becomes ACTIVE or goes DOWN, compute is told
 * (network-vif-plugged, network-vif-unplugged). It listens after the host firewall, so a port's
 * rules are in force before compute hears that it is up.
 */
public final class ComputeNotifier implements ChangeListener {
    private static final String COMPUTE_OWNER = "compute:";

    private final PortEvents events;

    public ComputeNotifier(PortEvents events) {
        this.events = events;
    }

    @Override
    public void committed(List<Change> changes) {
        for (Change change : changes) {
            if (change instanceof Change.PortChange(var original, var current) && original.isPresent()
                    && current.isPresent() && !original.get().status().equals(current.get().status())) {
                Port port = current.get();
                if (port.deviceOwner().startsWith(COMPUTE_OWNER) && !port.deviceId().isEmpty()) {
                    events.notify(port.status().equals(PortStatus.ACTIVE) ? PortEvents.VIF_PLUGGED : PortEvents.VIF_UNPLUGGED,
                            port.deviceId(), port.id());
                }
            }
        }
    }
}
