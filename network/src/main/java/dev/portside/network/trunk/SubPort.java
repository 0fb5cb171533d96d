package dev.portside.network.trunk;

/**
 * A port that travels on its trunk's parent link tagged with {@code segmentationId}; Portside's
 * dataplane knows one {@code segmentationType}, "vlan" (IDs 1-4094), as Neutron's shipped drivers do.
 */
public record SubPort(String portId, String segmentationType, int segmentationId) {
    public static final String VLAN = "vlan";
    /** Asks for the sub-port's network's own segment (a provider VLAN network's id), resolved on the way in. */
    public static final String INHERIT = "inherit";
}
