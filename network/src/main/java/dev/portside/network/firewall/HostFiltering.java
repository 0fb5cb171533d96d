package dev.portside.network.firewall;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One host's port filtering: given the filters of the ports bound there, it renders the nftables
 * ruleset and applies it in one step, remembering which learned-MAC sets the host holds so that a
 * new ruleset keeps what ports learned; it reads back what each port's filter dropped. The
 * all-in-one's network service drives it from the database; a compute host of a Portside that
 * spans several drives it from what its controller says its ports are.
 */
public final class HostFiltering {
    private static final Logger LOG = LoggerFactory.getLogger(HostFiltering.class);

    private final HostFirewall firewall;
    private final FilterSettings settings;
    private final Histogram applies = Histogram.builder().name("portside_firewall_applies_seconds")
            .help("Port filtering rulesets applied on this host, by result (applied, failed), and how long each took")
            .labelNames("result").classicOnly().build();
    // The ports whose learned-MAC sets the host holds, as last applied; empty until the first apply.
    private Optional<Set<String>> learning = Optional.empty();
    // Whether the last applied ruleset filtered no port at all; false until an apply says so.
    private boolean noPortFiltered = false;

    public HostFiltering(HostFirewall firewall, FilterSettings settings) {
        this.firewall = firewall;
        this.settings = settings;
    }

    public boolean enabled() {
        return firewall.enabled();
    }

    /** Whether the last apply filtered no port at all. */
    synchronized boolean noPortFiltered() {
        return noPortFiltered;
    }

    /**
     * Applies the ruleset for exactly these filters, whatever was applied before; applies are
     * serialised. A failed apply is logged: the next one (or a restart) applies the rules again.
     */
    public synchronized void apply(List<PortFilter> filters) {
        if (!firewall.enabled()) {
            return;
        }
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
