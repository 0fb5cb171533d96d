package dev.portside.network.firewall;

import dev.portside.network.change.Change;
import dev.portside.network.change.ChangeListener;
import dev.portside.network.port.PortStore;
import dev.portside.network.secgroup.SecurityGroupStore;
import org.jdbi.v3.core.Jdbi;

import java.util.List;
import java.util.Optional;

/**
 * Keeps the host's filtering equal to the database: after every committed change that can alter
 * what a port may send or receive (a port made, changed, bound or deleted; a rule added or
 * removed), it renders the ruleset for every bound port again and applies it in one step. Applies
 * are serialised, so the last committed state is the one in force.
 */
public final class FirewallSync implements ChangeListener {
    private final Jdbi jdbi;
    private final PortStore ports;
    private final SecurityGroupStore groups;
    private final HostFiltering filtering;

    public FirewallSync(Jdbi jdbi, PortStore ports, SecurityGroupStore groups, HostFirewall firewall,
                        FilterSettings settings) {
        this.jdbi = jdbi;
        this.ports = ports;
        this.groups = groups;
        this.filtering = new HostFiltering(firewall, settings);
    }

    /** A committed change to a port or a rule can alter what a port may send or receive. */
    @Override
    public void committed(List<Change> changes) {
        if (!filtering.enabled()) {
            return;
        }
        // Judged under the lock: after any apply still running, which may have read the database before
        // these changes were committed.
        synchronized (filtering) {
            if (!changes.stream().allMatch(this::leavesFiltersAlone)) {
                filtering.apply(filters());
            }
        }
    }

    /**
     * A port bound nowhere, before and after, is in no port's filter but as an address of its groups
     * (remote-group rules): with no address in a group, or no port filtered at all, it changes nothing.
     * (Creating ports for later servers, the common case, then costs no ruleset apply.)
     */
    private boolean leavesFiltersAlone(Change change) {
        // A trunk's sub-ports change by their ports' own changes, which say what filtering needs; a router
        // filters nothing (its ports have no port security).
        return change instanceof Change.TrunkChange || change instanceof Change.RouterChange || change instanceof Change.PortChange(var original, var current)
                && java.util.stream.Stream.of(original, current).flatMap(Optional::stream)
                .allMatch(p -> p.binding().hostId().isEmpty() && (filtering.noPortFiltered() || p.securityGroups().isEmpty()
                        || p.fixedIps().isEmpty() && p.allowedAddressPairs().isEmpty()));
    }

    /** Applies what the database says, whatever was applied before (at start-up: the host may have lost it). */
    public void sync() {
        if (!filtering.enabled()) {
            return;
        }
        synchronized (filtering) {
            filtering.apply(filters());
        }
    }

    // Every bound port's filter, as the database says now.
    private List<PortFilter> filters() {
        return jdbi.withHandle(h -> Filters.of(ports.all(h), groups.allRules(h)));
    }

    /** The port filtering of this process's host. */
    public HostFiltering filtering() {
        return filtering;
    }
}
