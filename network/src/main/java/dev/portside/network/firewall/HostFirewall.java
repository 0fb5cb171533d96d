package dev.portside.network.firewall;

import java.util.Map;

/**
 * Where the host's port filtering is applied (the firewall driver of Neutron's L2 agent): it is
 * given the whole nftables ruleset for the ports bound here and replaces what it had, atomically;
 * it reads back the ruleset's named counters (what each port's filter dropped).
 */
public interface HostFirewall {
    /** No host filtering (the fake compute hosts of functional tests). */
    HostFirewall NONE = ruleset -> { };

    void apply(String ruleset);

    /** The named counters of Portside's tables as the host holds them now; none where it keeps none. */
    default Map<String, Count> counters() {
        return Map.of();
    }

    default boolean enabled() {
        return this != NONE;
    }

    /** A counter's packets and bytes. */
    record Count(long packets, long bytes) {
    }
}
