package dev.portside.network.port;

import dev.portside.network.binding.PortBinding;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A Neutron port. {@code ipAllocation} is the ip_allocation extension's attribute: "immediate" when
 * the port got (or could get) addresses at creation, "none" when it was created with
 * {@code "fixed_ips": []} - the unaddressed port this project exists for.
 */
public record Port(String id, String networkId, String projectId, String name, String description, String macAddress,
                   boolean adminStateUp, String status, String deviceId, String deviceOwner, String ipAllocation,
                   boolean portSecurityEnabled, List<FixedIp> fixedIps, PortBinding binding, List<String> securityGroups,
                   List<AddressPair> allowedAddressPairs, Instant createdAt, Instant updatedAt, long revisionNumber) {
    public static final String IMMEDIATE = "immediate";
    public static final String NONE = "none";

    public Port {
        fixedIps = List.copyOf(fixedIps);
        securityGroups = List.copyOf(securityGroups);
        allowedAddressPairs = List.copyOf(allowedAddressPairs);
    }

    /** The same port with the rows kept beside it: addresses, security groups and address pairs. */
    public Port with(List<FixedIp> ips, List<String> groups, List<AddressPair> pairs) {
        return new Port(id, networkId, projectId, name, description, macAddress, adminStateUp, status, deviceId,
                deviceOwner, ipAllocation, portSecurityEnabled, ips, binding, groups, pairs, createdAt, updatedAt,
                revisionNumber);
    }

    /** What policy rules see of a port: its owner and its network's. */
    public Map<String, String> target(Map<String, String> networkTarget) {
        Map<String, String> target = new java.util.HashMap<>(networkTarget);
        target.put("project_id", projectId);
        return target;
    }
}
