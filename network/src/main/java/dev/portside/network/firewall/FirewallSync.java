package dev.portside.network.firewall;

import dev.portside.network.change.Change;
import dev.portside.network.change.ChangeListener;
import dev.portside.network.port.PortStore;
import dev.portside.network.secgroup.SecurityGroupStore;
import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Keeps the host's filtering equal to the database: after every committed change that can alter
 * what a port may send or receive (a port made, changed, bound or deleted; a rule added or
 * removed), it renders the ruleset for every bound port again and applies it in one step. Applies
 * are serialised, so the last committed state is the one in force.
 */
public final class FirewallSync implements ChangeListener {
    private static final Logger LOG = LoggerFactory.getLogger(FirewallSync.class);

    private final Jdbi jdbi;
    private final PortStore ports;
    private final SecurityGroupStore groups;
    private final HostFirewall firewall;
    private final FilterSettings settings;
    private final Object applying = new Object();
    private final Histogram applies = Histogram.builder().name("portside_firewall_applies_seconds")
            .help("Port filtering rulesets applied on this host, by result (applied, failed), and how long each took")
            .labelNames("result").classicOnly().build();
    // The ports whose learned-MAC sets the host holds, as last applied; empty until the first apply.
    private Optional<Set<String>> learning = Optional.empty();
    // Whether the last applied ruleset filtered no port at all; false until an apply says so.
    private boolean noPortFiltered = false;

    public FirewallSync(Jdbi jdbi, PortStore ports, SecurityGroupStore groups, HostFirewall firewall,
                        FilterSettings settings) {
        this.jdbi = jdbi;
        this.settings = settings;
        this.ports = ports;
        this.groups = groups;
        this.firewall = firewall;
    }

    /** A committed change to a port or a rule can alter what a port may send or receive. */
    @Override
    public void committed(List<Change> changes) {
        if (!firewall.enabled()) {
            return;
        }
        // Judged under the lock: after any apply still running, which may have read the database before
        // these changes were committed.
        synchronized (applying) {
            if (!changes.stream().allMatch(this::leavesFiltersAlone)) {
                applyDatabase();
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
                .allMatch(p -> p.binding().hostId().isEmpty() && (noPortFiltered || p.securityGroups().isEmpty()
                        || p.fixedIps().isEmpty() && p.allowedAddressPairs().isEmpty()));
    }

    /** Applies what the database says, whatever was applied before (at start-up: the host may have lost it). */
    public void sync() {
        if (!firewall.enabled()) {
            return;
        }
        synchronized (applying) {
            applyDatabase();
        }
    }

    private void applyDatabase() {
        List<PortFilter> filters = jdbi.withHandle(h -> Filters.of(ports.all(h), groups.allRules(h)));
        boolean known = learning.isPresent();
        Map<String, HostFirewall.Count> counted = counted();
        boolean applied = apply(NftRuleset.render(filters, settings, learning, counted));
        if (!applied && known) {
            // The host may not hold what we last applied (someone flushed the ruleset): start afresh.
            applied = apply(NftRuleset.render(filters, settings, Optional.empty(), counted));
        }
        noPortFiltered = applied && filters.isEmpty();
    }

    /** The applies and their durations, for /metrics. */
    public Histogram applies() {
        return applies;
    }

    /** What each port's filter dropped, by direction and reason, read from the host at each scrape. */
    public CounterWithCallback drops() {
        return CounterWithCallback.builder().name("portside_port_dropped_packets")
                .help("Packets a port's filter dropped: direction (egress: the port sent it, ingress: sent to it)"
                        + " and reason (mac, address, ethertype, security_group)")
                .labelNames("port_id", "direction", "reason")
                .callback(counter -> counted().forEach((name, count) -> DropCounters.parse(name).ifPresent(key ->
                        counter.call(count.packets(), key.portId(), key.direction(), key.reason()))))
                .build();
    }

    /**
     * What each port's filter dropped so far, by port id, then by direction and reason
     * ({@code egress_mac}, {@code ingress_security_group}, ...); a port whose filter dropped
     * nothing may be missing.
     */
    public Map<String, Map<String, Long>> dropped() {
        Map<String, Map<String, Long>> byPort = new java.util.HashMap<>();
        counted().forEach((name, count) -> DropCounters.parse(name).ifPresent(key -> byPort
                .computeIfAbsent(key.portId(), id -> new java.util.TreeMap<>())
                .put(key.direction() + "_" + key.reason(), count.packets())));
        return byPort;
    }

    // What the host's counters hold now; nothing when it cannot say (its tables gone, nft failing).
    private Map<String, HostFirewall.Count> counted() {
        try {
            return firewall.counters();
        } catch (RuntimeException e) {
            LOG.warn("reading the port filtering's counters failed: {}", e.getMessage());
            return Map.of();
        }
    }

    private boolean apply(NftRuleset.Script script) {
        long start = System.nanoTime();
        try {
            firewall.apply(script.text());
            learning = Optional.of(script.learning());
            applies.labelValues("applied").observe((System.nanoTime() - start) / 1e9);
            return true;
        } catch (RuntimeException e) {
            applies.labelValues("failed").observe((System.nanoTime() - start) / 1e9);
            // The change is committed; the next one (or a restart) applies the rules again.
            LOG.error("applying the port filtering failed: {}", e.getMessage());
            learning = Optional.empty();
            return false;
        }
    }
}
