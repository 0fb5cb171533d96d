package dev.portside.network.l3;

import java.util.Set;

/**
 * Where routers are made real: on this machine, a network namespace per router (the L3 agent's
 * job in Neutron). Implementations converge: {@link #apply} makes the router exactly as laid out,
 * whatever it found.
 */
public interface RouterWiring {
    RouterWiring NONE = new RouterWiring() {
        @Override
        public void apply(RouterLayout layout) {
        }

        @Override
        public void remove(String routerId) {
        }

        @Override
        public void removeAllBut(Set<String> routerIds) {
        }
    };

    /** Makes the router as {@code layout} says: its legs, addresses, routes and address translation. */
    void apply(RouterLayout layout);

    /** Removes the router and everything it had on the host. */
    void remove(String routerId);

    /** Removes every router the host has that is not one of {@code routerIds} (at start-up). */
    void removeAllBut(Set<String> routerIds);
}
