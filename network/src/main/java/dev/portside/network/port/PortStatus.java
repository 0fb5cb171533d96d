package dev.portside.network.port;

import dev.portside.network.firewall.FirewallSync;
import dev.portside.network.net.NetworkStore;
import org.jdbi.v3.core.Jdbi;

import java.time.Clock;
import java.util.Optional;

/**
 * The host agent's reports (Neutron's {@code update_device_up}/{@code update_device_down} RPCs): a
 * port whose device is wired on the host it is bound to becomes ACTIVE, and DOWN when unwired. Each
 * change of a compute-owned port is told to compute through {@link PortEvents}, after it is committed.
 */
public final class PortStatus {
    public static final String ACTIVE = "ACTIVE";
    public static final String DOWN = "DOWN";
    private static final String COMPUTE_OWNER = "compute:";

    private final Jdbi jdbi;
    private final PortStore ports;
    private final PortEvents events;
    private final Clock clock;

    private final FirewallSync firewall;

    public PortStatus(Jdbi jdbi, PortStore ports, PortEvents events, FirewallSync firewall, Clock clock) {
        this.firewall = firewall;
        this.jdbi = jdbi;
        this.ports = ports;
        this.events = events;
        this.clock = clock;
    }

    /** The agent on {@code host} wired the port's device. Reports from a host the port is not bound to are ignored. */
    public void deviceUp(String portId, String host) {
        // The port's rules are in force before compute hears that it is up.
        firewall.sync();
        change(portId, host, ACTIVE).ifPresent(p -> events.notify(PortEvents.VIF_PLUGGED, p.deviceId(), p.id()));
    }

    public void deviceDown(String portId, String host) {
        change(portId, host, DOWN).ifPresent(p -> events.notify(PortEvents.VIF_UNPLUGGED, p.deviceId(), p.id()));
    }

    private Optional<Port> change(String portId, String host, String status) {
        Optional<Port> changed = jdbi.inTransaction(h -> ports.findForUpdate(h, portId)
                .filter(p -> p.binding().hostId().equals(host) && !p.status().equals(status))
                .map(p -> {
                    Port updated = new Port(p.id(), p.networkId(), p.projectId(), p.name(), p.description(),
                            p.macAddress(), p.adminStateUp(), status, p.deviceId(), p.deviceOwner(), p.ipAllocation(),
                            p.portSecurityEnabled(), p.fixedIps(), p.binding(), p.securityGroups(),
                            p.allowedAddressPairs(), p.allowedEthertypes(), p.createdAt(), NetworkStore.now(clock),
                            p.revisionNumber() + 1);
                    ports.update(h, updated);
                    return updated;
                }));
        return changed.filter(p -> p.deviceOwner().startsWith(COMPUTE_OWNER) && !p.deviceId().isEmpty());
    }
}
