package dev.portside.network.trunk;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portside.common.http.ApiException;
import dev.portside.network.NeutronErrors;
import dev.portside.network.net.Network;
import dev.portside.network.net.NetworkStore;
import dev.portside.network.net.Segment;
import dev.portside.network.port.Port;
import org.jdbi.v3.core.Handle;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntPredicate;

/**
 * Which ports may be a trunk's parent and sub-ports, with the checks and error types of Neutron's
 * trunk plugin ({@code neutron/services/trunk/rules.py}), in its order. Portside's dataplane wires a
 * trunk when its parent is plugged, as Neutron's Open vSwitch driver does ({@code can_trunk_bound_port}
 * false): a bound port cannot become a parent, and a trunk whose parent is bound cannot be deleted.
 */
public final class TrunkRules {
    /** The segmentation types the dataplane carries, each with its valid IDs (Neutron's is_valid_vlan_tag). */
    private static final Map<String, IntPredicate> SEGMENTATION_TYPES = Map.of(SubPort.VLAN, id -> id >= 1 && id <= 4094);
    /** The device owner Neutron gives a bound sub-port. */
    public static final String SUBPORT_OWNER = "trunk:subport";

    private final TrunkStore trunks;
    private final NetworkStore networks;

    public TrunkRules(TrunkStore trunks, NetworkStore networks) {
        this.trunks = trunks;
        this.networks = networks;
    }

    /** A new trunk's parent: in no trunk yet, and not bound. */
    public void checkParent(Handle h, Port parent) {
        checkInNoTrunk(h, parent.id());
        if (!parent.binding().hostId().isEmpty()) {
            throw parentPortInUse(parent.id());
        }
    }

    /**
     * The sub-ports asked for a trunk on {@code parent}, resolved ({@code inherit} takes the sub-port's
     * network's VLAN) and checked; {@code ports} are the asked ports, each visible to the caller.
     */
    public List<SubPort> subPorts(Handle h, Port parent, List<SubPortRequests.Asked> asked, Map<String, Port> ports) {
        int trunkMtu = network(h, parent.networkId()).mtu();
        List<SubPort> checked = new ArrayList<>();
        for (SubPortRequests.Asked one : asked) {
            Port port = ports.get(one.portId());
            if (port.id().equals(parent.id())) {
                throw parentPortInUse(port.id());
            }
            Network network = network(h, port.networkId());
            if (network.mtu() > trunkMtu) {
                throw new ApiException(409, "SubPortMtuGreaterThanTrunkPortMtu", "MTU " + network.mtu() + " of subport "
                        + port.id() + " cannot be greater than MTU " + trunkMtu + " of trunk " + parent.id() + ".");
            }
            SubPort subPort = one.segmentationType().filter(SubPort.INHERIT::equals).isPresent()
                    ? inherited(port, network.segment()) : given(one);
            IntPredicate valid = SEGMENTATION_TYPES.get(subPort.segmentationType());
            if (valid == null) {
                throw NeutronErrors.invalidInput("Unknown segmentation_type '" + subPort.segmentationType() + "'");
            }
            if (!valid.test(subPort.segmentationId())) {
                throw NeutronErrors.invalidInput("Segmentation ID '" + subPort.segmentationId() + "' is not in range");
            }
            checkInNoTrunk(h, port.id());
            // Neutron's check_not_in_use: a port serving an instance, a router or DHCP is nobody's sub-port.
            if (!port.deviceId().isEmpty()) {
                throw new ApiException(409, "PortInUse", "Unable to complete operation on port " + port.id()
                        + " for network " + port.networkId() + ". Port already has an attached device "
                        + port.deviceId() + ".");
            }
            checked.add(subPort);
        }
        return checked;
    }

    /** Neutron's DuplicateSubPort: one segmentation on a trunk carries one sub-port. */
    public static void checkUnique(Trunk trunk, List<SubPort> added) {
        for (SubPort subPort : added) {
            boolean taken = trunk.subPorts().stream().anyMatch(s -> s.segmentationType().equals(subPort.segmentationType())
                    && s.segmentationId() == subPort.segmentationId());
            if (taken) {
                throw duplicateSubPort(trunk.id(), subPort);
            }
        }
    }

    public static ApiException duplicateSubPort(String trunkId, SubPort subPort) {
        return new ApiException(409, "DuplicateSubPort", "segmentation_type " + subPort.segmentationType()
                + " and segmentation_id " + subPort.segmentationId() + " already in use on trunk " + trunkId + ".");
    }

    /** Neutron's enforce_port_deletion_rules: a trunk's ports are deleted only once out of it. */
    public void checkPortDeletion(Handle h, String portId) {
        Optional<String> asSubPort = trunks.trunkOfSubPort(h, portId);
        if (asSubPort.isPresent()) {
            throw new ApiException(409, "PortInUseAsSubPort", "Port " + portId + " is currently a subport for trunk "
                    + asSubPort.get() + ".");
        }
        Optional<String> asParent = trunks.trunkOfParent(h, portId);
        if (asParent.isPresent()) {
            throw new ApiException(409, "PortInUseAsTrunkParent", "Port " + portId + " is currently a parent port for trunk "
                    + asParent.get() + ".");
        }
    }

    /** The sub-ports that follow {@code portId}'s binding, when it is a trunk's parent. */
    public List<String> subPortsOf(Handle h, String portId) {
        return trunks.subPortsOfParent(h, portId);
    }

    /** Neutron's trunk_can_be_managed: a disabled trunk's sub-ports do not change, nor is it deleted. */
    public static void checkManageable(Trunk trunk) {
        if (!trunk.adminStateUp()) {
            throw new ApiException(409, "TrunkDisabled", "Trunk " + trunk.id() + " is currently disabled.");
        }
    }

    public static ApiException parentPortInUse(String portId) {
        return new ApiException(409, "ParentPortInUse", "Port " + portId
                + " is currently in use and is not eligible for use as a parent port.");
    }

    private void checkInNoTrunk(Handle h, String portId) {
        if (trunks.trunkOfSubPort(h, portId).isPresent()) {
            throw new ApiException(409, "TrunkPortInUse", "Port " + portId + " is in use by another trunk.");
        }
        if (trunks.trunkOfParent(h, portId).isPresent()) {
            throw parentPortInUse(portId);
        }
    }

    private static SubPort given(SubPortRequests.Asked one) {
        Optional<JsonNode> id = one.segmentationId();
        if (one.segmentationType().isEmpty() || id.isEmpty()) {
            throw NeutronErrors.invalidInput("Invalid subport details '{port_id: " + one.portId() + "}': missing"
                    + " segmentation information. Must specify both segmentation_id and segmentation_type");
        }
        // Neutron's convert_to_int: an integer, or text that is one.
        JsonNode value = id.get();
        boolean integral = value.isIntegralNumber() && value.canConvertToInt()
                || value.isTextual() && value.asText().matches("-?\\d{1,9}");
        if (!integral) {
            throw NeutronErrors.invalidInput("Invalid subport details: segmentation_id '"
                    + (value.isTextual() ? value.asText() : value.toString()) + "' is not an integer");
        }
        return new SubPort(one.portId(), one.segmentationType().get(), Integer.parseInt(value.asText()));
    }

    // 'inherit': the sub-port's network's own segment, so a provider VLAN network keeps its VLAN id on the trunk.
    private static SubPort inherited(Port port, Segment segment) {
        return new SubPort(port.id(), segment.networkType(), segment.segmentationId().orElse(0));
    }

    private Network network(Handle h, String id) {
        return networks.find(h, id).orElseThrow(() -> NeutronErrors.networkNotFound(id));
    }
}
