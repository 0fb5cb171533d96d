package dev.portside.network.port;

import dev.portside.network.change.Change;
import dev.portside.network.change.Transactions;
import dev.portside.network.net.NetworkStore;

import java.time.Clock;
import java.util.Optional;

/**
 * The host agent's reports (Neutron's {@code update_device_up}/{@code update_device_down} RPCs): a
 * port whose device is wired on the host it is bound to becomes ACTIVE, and DOWN when unwired.
 * Compute hears of it from {@link ComputeNotifier}, after the commit.
 */
public final class PortStatus {
    public static final String ACTIVE = "ACTIVE";
    public static final String DOWN = "DOWN";

    private final Transactions tx;
    private final PortStore ports;
    private final Clock clock;

    public PortStatus(Transactions tx, PortStore ports, Clock clock) {
        this.tx = tx;
        this.ports = ports;
        this.clock = clock;
    }

    /** The agent on {@code host} wired the port's device. Reports from a host the port is not bound to are ignored. */
    public void deviceUp(String portId, String host) {
        change(portId, host, ACTIVE);
    }

    public void deviceDown(String portId, String host) {
        change(portId, host, DOWN);
    }

    private void change(String portId, String host, String status) {
        tx.inTransaction((h, changes) -> {
            Optional<Port> found = ports.findForUpdate(h, portId)
                    .filter(p -> p.binding().hostId().equals(host) && !p.status().equals(status));
            found.ifPresent(p -> {
                Port updated = p.withStatus(status, NetworkStore.now(clock));
                ports.update(h, updated);
                changes.accept(Change.PortChange.updated(p, updated));
            });
            return found;
        });
    }
}
