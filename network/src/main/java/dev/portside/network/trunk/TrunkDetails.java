package dev.portside.network.trunk;

import java.util.List;

/**
 * What Neutron's trunk-details extension shows on a trunk's parent port: the trunk, and each
 * sub-port with its VLAN and MAC, which is what a guest needs to make its VLAN interfaces.
 */
public record TrunkDetails(String trunkId, List<SubPortDetail> subPorts) {
    public TrunkDetails {
        subPorts = List.copyOf(subPorts);
    }

    public record SubPortDetail(String portId, String segmentationType, int segmentationId, String macAddress) {
    }
}
