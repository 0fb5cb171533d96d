package dev.portside.network.trunk;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Where trunks meet the host their parent port is bound to (the trunk driver of Neutron's L2 agent):
 * it puts each sub-port's VLAN on the parent's device, as the database says, and reports which
 * sub-ports it wired.
 */
public interface TrunkWiring {
    /** A sub-port as its parent's link carries it: the port, and its VLAN there. */
    record SubPortVlan(String portId, int segmentationId) {
    }

    /**
     * No host wires trunks (the fake compute hosts of functional tests): every sub-port counts as
     * wired, as their ports count as plugged.
     */
    TrunkWiring NONE = (host, parentPortId, subPorts) -> subPorts.stream().map(SubPortVlan::portId)
            .collect(Collectors.toSet());

    /**
     * Wires exactly {@code subPorts} on the device of {@code parentPortId} on {@code host}, and unwires
     * any sub-port wired there before and not asked for (all of them, given none). Returns the ids of
     * the sub-ports wired; throws when nothing could be wired on the parent at all.
     */
    Set<String> wire(String host, String parentPortId, List<SubPortVlan> subPorts);
}
