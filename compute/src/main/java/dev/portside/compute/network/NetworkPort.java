package dev.portside.compute.network;

import dev.portside.common.net.IpAllocation;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A port as compute needs it: where it is, who uses it, its addresses, the ip_allocation the
 * network service gave it, its port security and security group ids, its binding (vif_type and
 * vif_details, with the backend's {@code connectivity}), and, for a trunk's parent, the trunk's
 * sub-ports (Neutron's trunk_details).
 */
public record NetworkPort(String id, String networkId, String projectId, String macAddress, String status,
                          String deviceId, String deviceOwner, String ipAllocation, List<FixedIp> fixedIps,
                          boolean portSecurityEnabled, List<String> securityGroups, String hostId, String vifType,
                          Map<String, Object> vifDetails, List<TrunkSubPort> trunkSubPorts) {
    public static final String BINDING_FAILED = "binding_failed";

    /** One address of a port. */
    public record FixedIp(String subnetId, String ipAddress) {
        public int version() {
            return ipAddress.contains(":") ? 6 : 4;
        }
    }

    /** A sub-port of the trunk this port is the parent of, and its VLAN on this port's link. */
    public record TrunkSubPort(String portId, int segmentationId) {
    }

    public NetworkPort {
        trunkSubPorts = List.copyOf(trunkSubPorts);
        fixedIps = List.copyOf(fixedIps);
        securityGroups = List.copyOf(securityGroups);
        vifDetails = Map.copyOf(vifDetails);
    }

    /** The unaddressed port, as the network service defines it ({@link IpAllocation#unaddressed}). */
    public boolean unaddressed() {
        return IpAllocation.unaddressed(fixedIps, ipAllocation);
    }

    public boolean inUse() {
        return !deviceId.isEmpty();
    }

    /** The binding backend's connectivity ("l2", "l3" or "legacy"), when the port is bound. */
    public Optional<String> connectivity() {
        return Optional.ofNullable(vifDetails.get("connectivity")).map(Object::toString);
    }
}
