package dev.portside.network.trunk;

import dev.portside.network.change.Change;
import dev.portside.network.change.ChangeListener;
import dev.portside.network.change.Transactions;
import dev.portside.network.net.NetworkStore;
import dev.portside.network.port.Port;
import dev.portside.network.port.PortStatus;
import dev.portside.network.port.PortStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Keeps trunks wired as the database says (the agent side of Neutron's trunk driver): after a
 * trunk's sub-ports change, or its parent port comes up, goes down or moves, the parent's host
 * wires exactly the sub-ports of a parent that is up (none for one that is not), the trunk BUILD
 * meanwhile. Then each sub-port is reported up or down as it was wired, and the trunk's status
 * tells how it went: ACTIVE when every sub-port is wired, DEGRADED when some are not, ERROR when
 * the parent's host could wire nothing, DOWN while the parent is not up. Wiring is serialised and always reads the latest
 * committed state, so the last change is the one in force.
 */
public final class TrunkSync implements ChangeListener {
    private static final Logger LOG = LoggerFactory.getLogger(TrunkSync.class);

    private final Transactions tx;
    private final TrunkStore trunks;
    private final PortStore ports;
    private final PortStatus status;
    private final TrunkWiring wiring;
    private final Clock clock;

    public TrunkSync(Transactions tx, TrunkStore trunks, PortStore ports, PortStatus status, TrunkWiring wiring,
                     Clock clock) {
        this.tx = tx;
        this.trunks = trunks;
        this.ports = ports;
        this.status = status;
        this.wiring = wiring;
        this.clock = clock;
    }

    @Override
    public void committed(List<Change> changes) {
        // Trunk id to the host it was last wired on, as far as these changes tell.
        Map<String, String> affected = new LinkedHashMap<>();
        for (Change change : changes) {
            if (change instanceof Change.TrunkChange(String trunkId)) {
                affected.putIfAbsent(trunkId, "");
            } else if (change instanceof Change.PortChange(Optional<Port> original, Optional<Port> current)
                    && original.isPresent() && current.isPresent() && movedOrSwitched(original.get(), current.get())) {
                tx.read(h -> trunks.trunkOfParent(h, current.get().id()))
                        .ifPresent(trunkId -> affected.put(trunkId, original.get().binding().hostId()));
            }
        }
        affected.forEach(this::sync);
    }

    /** Wires every trunk as the database says (at start-up: the hosts may have lost or kept anything). */
    public void resync() {
        tx.read(trunks::allIds).forEach(id -> sync(id, ""));
    }

    // A port's device came up or went down, or the port moved host: the only port changes wiring follows.
    private static boolean movedOrSwitched(Port original, Port current) {
        return !original.status().equals(current.status())
                || !original.binding().hostId().equals(current.binding().hostId());
    }

    private void sync(String trunkId, String previousHost) {
        synchronized (wiring) {
            Optional<Trunk> trunk = tx.read(h -> trunks.find(h, trunkId));
            Optional<Port> parent = trunk.flatMap(t -> tx.read(h -> ports.find(h, t.portId())));
            if (trunk.isEmpty() || parent.isEmpty()) {
                return;
            }
            String host = parent.get().binding().hostId();
            boolean up = !host.isEmpty() && parent.get().status().equals(PortStatus.ACTIVE);
            List<TrunkWiring.SubPortVlan> asked = up ? trunk.get().subPorts().stream()
                    .map(s -> new TrunkWiring.SubPortVlan(s.portId(), s.segmentationId())).toList() : List.of();
            if (up) {
                record(trunkId, Trunk.BUILD);
            }
            Set<String> wired;
            String outcome;
            try {
                wired = wiring.wire(host.isEmpty() ? previousHost : host, parent.get().id(), asked);
                outcome = !up ? Trunk.DOWN : wired.size() == asked.size() ? Trunk.ACTIVE
                        : wired.isEmpty() ? Trunk.ERROR : Trunk.DEGRADED;
            } catch (RuntimeException e) {
                LOG.error("trunk {}: wiring its sub-ports on {} failed: {}", trunkId, host, e.getMessage());
                wired = Set.of();
                outcome = up ? Trunk.ERROR : Trunk.DOWN;
            }
            for (SubPort subPort : trunk.get().subPorts()) {
                if (wired.contains(subPort.portId())) {
                    status.deviceUp(subPort.portId(), host);
                } else {
                    status.deviceDown(subPort.portId(), host);
                }
            }
            record(trunkId, outcome);
        }
    }

    private void record(String trunkId, String outcome) {
        tx.inTransaction((h, changes) -> trunks.findForUpdate(h, trunkId).filter(t -> !t.status().equals(outcome))
                .map(t -> {
                    trunks.update(h, t.changed(t.name(), t.description(), t.adminStateUp(), outcome, t.subPorts(),
                            NetworkStore.now(clock)));
                    return t.id();
                }));
    }
}
