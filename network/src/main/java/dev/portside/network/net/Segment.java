package dev.portside.network.net;

import java.util.Optional;

/**
 * Where a network's frames go (Neutron's provider attributes): {@code local}, a bridge on this host
 * only; {@code flat}, untagged on a physical network; {@code vlan}, tagged with a VLAN id on one.
 */
public record Segment(String networkType, Optional<String> physicalNetwork, Optional<Integer> segmentationId) {
    public static final String LOCAL = "local";
    public static final String FLAT = "flat";
    public static final String VLAN = "vlan";
    public static final String VXLAN = "vxlan";
    public static final Segment LOCAL_SEGMENT = new Segment(LOCAL, Optional.empty(), Optional.empty());

    /**
     * What makes two networks' segments the same wire: a physical network for a flat one, a
     * physical network and VLAN id for a VLAN one, the VXLAN id for a VXLAN one. The database holds it under a unique key, so a
     * segment is given to one network only, whatever races.
     */
    public Optional<String> key() {
        if (networkType.equals(VXLAN)) {
            return segmentationId.map(id -> VXLAN + ":" + id);
        }
        return physicalNetwork.map(physnet -> physnet + ":" + segmentationId.map(String::valueOf).orElse(FLAT));
    }
}
