package dev.portside.operator;

import java.util.Collection;
import java.util.Map;

/**
 * Where the operator's page reads what ports carried: the dataplane of the host their instances run
 * on (the devices' own counters, and what each port's filter dropped).
 */
public interface PortCounters {
    /** None: a Portside without real instances has no devices to count. */
    PortCounters NONE = ports -> Map.of();

    /** The traffic of those of {@code portIds} whose device is on this host, by port id. */
    Map<String, Traffic> read(Collection<String> portIds);

    /**
     * One port's counts since its device was made: what reached its instance (ingress), what its
     * instance sent (egress), and what its filter dropped by direction and reason
     * ({@code egress_mac}, {@code ingress_security_group}, ...).
     */
    record Traffic(Flow ingress, Flow egress, Map<String, Long> dropped) {
        public Traffic {
            dropped = Map.copyOf(dropped);
        }
    }

    /** Packets and bytes. */
    record Flow(long packets, long bytes) {
    }
}
