package dev.portside.network.change;

import dev.portside.network.port.Port;
import dev.portside.network.secgroup.SecurityGroupRule;

import java.util.Optional;

/**
 * One committed change that something outside the database may act on, as ML2's postcommit calls
 * see it: a port before and after (empty before when created, empty after when deleted), a
 * security group rule added or removed, a trunk's sub-ports added or removed, or anything a router's
 * dataplane follows: its interfaces, gateway, routes and floating IPs.
 */
public sealed interface Change {
    record PortChange(Optional<Port> original, Optional<Port> current) implements Change {
        public static PortChange created(Port port) {
            return new PortChange(Optional.empty(), Optional.of(port));
        }

        public static PortChange updated(Port original, Port current) {
            return new PortChange(Optional.of(original), Optional.of(current));
        }

        public static PortChange deleted(Port port) {
            return new PortChange(Optional.of(port), Optional.empty());
        }
    }

    record RuleChange(SecurityGroupRule rule, boolean removed) implements Change {
    }

    /** The sub-ports of trunk {@code trunkId} changed (their ports' own changes come as port changes). */
    record TrunkChange(String trunkId) implements Change {
    }

    /** Router {@code routerId} changed, or went (its interfaces' and gateway's ports come as port changes too). */
    record RouterChange(String routerId) implements Change {
    }
}
