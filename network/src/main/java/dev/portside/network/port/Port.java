package dev.portside.network.port;

import dev.portside.network.binding.PortBinding;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A Neutron port. {@code ipAllocation} is the ip_allocation extension's attribute: "immediate" when
 * the port got (or could get) addresses at creation, "none" when it was created with
 * {@code "fixed_ips": []} - the unaddressed port this project exists for. {@code allowedEthertypes}
 * is Portside's port-allowed-ethertypes extension: what the port may carry besides ARP, IPv4 and
 * IPv6 while port security is on, in numeric order.
 */
public record Port(String id, String networkId, String projectId, String name, String description, String macAddress,
                   boolean adminStateUp, String status, String deviceId, String deviceOwner, String ipAllocation,
                   boolean portSecurityEnabled, List<FixedIp> fixedIps, PortBinding binding, List<String> securityGroups,
                   List<AddressPair> allowedAddressPairs, List<Integer> allowedEthertypes, Instant createdAt,
                   Instant updatedAt, long revisionNumber) {
    public static final String IMMEDIATE = "immediate";
    public static final String NONE = "none";

    public Port {
        fixedIps = List.copyOf(fixedIps);
        securityGroups = List.copyOf(securityGroups);
        allowedAddressPairs = List.copyOf(allowedAddressPairs);
        allowedEthertypes = List.copyOf(allowedEthertypes);
    }

    /** The same port with the rows kept beside it: addresses, security groups, address pairs and ethertypes. */
    public Port with(List<FixedIp> ips, List<String> groups, List<AddressPair> pairs, List<Integer> ethertypes) {
        return new Port(id, networkId, projectId, name, description, macAddress, adminStateUp, status, deviceId,
                deviceOwner, ipAllocation, portSecurityEnabled, ips, binding, groups, pairs, ethertypes, createdAt,
                updatedAt, revisionNumber);
    }

    /** An ethertype as the API writes it (and nft reads it): "0x8847". */
    public static String ethertype(int ethertype) {
        return String.format("0x%04x", ethertype);
    }

    /** The port without addresses of its own: Portside filters it by MAC, not by address. */
    public boolean unaddressed() {
        return fixedIps.isEmpty();
    }

    /** What policy rules see of a port: its owner and its network's. */
    public Map<String, String> target(Map<String, String> networkTarget) {
        Map<String, String> target = new java.util.HashMap<>(networkTarget);
        target.put("project_id", projectId);
        return target;
    }
}
