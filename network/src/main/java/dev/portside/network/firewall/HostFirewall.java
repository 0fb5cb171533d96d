package dev.portside.network.firewall;

/**
 * Where the host's port filtering is applied (the firewall driver of Neutron's L2 agent): it is
 * given the whole nftables ruleset for the ports bound here and replaces what it had, atomically.
 */
public interface HostFirewall {
    /** No host filtering (the fake compute hosts of functional tests). */
    HostFirewall NONE = ruleset -> { };

    void apply(String ruleset);

    default boolean enabled() {
        return this != NONE;
    }
}
