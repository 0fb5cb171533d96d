package dev.portside.network.l3;

import dev.portside.network.change.Change;
import dev.portside.network.change.ChangeListener;
import dev.portside.network.change.Transactions;
import dev.portside.network.port.PortStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Keeps routers' dataplane as the database says (the L3 agent's loop in Neutron): after a change
 * to a router, its interfaces, gateway, routes or floating IPs, the router is laid out again from
 * the latest committed state and applied; a router that is gone or administratively down is
 * removed. Its ports are reported ACTIVE once applied (DOWN while it is down), as the L3 agent
 * does. Serialised, so the last change is the one in force.
 */
public final class RouterSync implements ChangeListener {
    private static final Logger LOG = LoggerFactory.getLogger(RouterSync.class);

    private final Transactions tx;
    private final RouterStore routers;
    private final FloatingIpStore floatingIps;
    private final PortStatus status;
    private final RouterWiring wiring;

    public RouterSync(Transactions tx, RouterStore routers, FloatingIpStore floatingIps, PortStatus status,
                      RouterWiring wiring) {
        this.tx = tx;
        this.routers = routers;
        this.floatingIps = floatingIps;
        this.status = status;
        this.wiring = wiring;
    }

    @Override
    public void committed(List<Change> changes) {
        Set<String> affected = new LinkedHashSet<>();
        for (Change change : changes) {
            if (change instanceof Change.RouterChange(String routerId)) {
                affected.add(routerId);
            }
        }
        affected.forEach(this::sync);
    }

    /** Every router as the database says, and no other (at start-up: the host may have lost or kept anything). */
    public void resync() {
        List<String> ids = tx.read(routers::allIds);
        synchronized (wiring) {
            try {
                wiring.removeAllBut(new HashSet<>(ids));
            } catch (RuntimeException e) {
                LOG.error("routers: removing those that are gone failed: {}", e.getMessage());
            }
        }
        ids.forEach(this::sync);
    }

    private void sync(String routerId) {
        synchronized (wiring) {
            Optional<Router> router = tx.read(h -> routers.find(h, routerId));
            Optional<RouterLayout> layout = router.filter(Router::adminStateUp).map(r -> tx.read(h -> new RouterLayout(
                    r.id(), routers.interfaces(h, r.id()), r.gateway().map(Router.Gateway::portId),
                    r.gateway().map(Router.Gateway::enableSnat).orElse(false), r.routes(),
                    floatingIps.ofRouter(h, r.id()).stream().flatMap(f -> f.association().stream()
                            .map(a -> new RouterLayout.Nat(f.floatingIpAddress(), a.fixedIpAddress()))).toList())));
            try {
                if (layout.isPresent()) {
                    wiring.apply(layout.get());
                } else {
                    wiring.remove(routerId);
                }
            } catch (RuntimeException e) {
                LOG.error("router {}: wiring it failed: {}", routerId, e.getMessage());
                return;
            }
            if (router.isEmpty()) {
                return;
            }
            List<String> portIds = new ArrayList<>(tx.read(h -> routers.interfaces(h, routerId)));
            router.get().gateway().map(Router.Gateway::portId).ifPresent(portIds::add);
            // Router ports are bound to no compute host: the host that wires them reports them, DOWN while
            // the router is administratively down (its namespace is gone).
            for (String portId : portIds) {
                if (layout.isPresent()) {
                    status.deviceUp(portId, "");
                } else {
                    status.deviceDown(portId, "");
                }
            }
        }
    }
}
