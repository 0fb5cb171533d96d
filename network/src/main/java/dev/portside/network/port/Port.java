package dev.portside.network.port;

import dev.portside.common.net.IpAllocation;
import dev.portside.network.api.StandardResource;
import dev.portside.network.binding.PortBinding;
import dev.portside.network.trunk.TrunkDetails;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A Neutron port. {@code ipAllocation} is the ip_allocation extension's attribute: "immediate" when
 * the port got (or could get) addresses at creation, "none" when it was created with
 * {@code "fixed_ips": []} - the unaddressed port this project exists for. {@code allowedEthertypes}
 * is Portside's port-allowed-ethertypes extension: what the port may carry besides ARP, IPv4 and
 * IPv6 while port security is on, in numeric order. {@code trunkDetails} is there when the port is a
 * trunk's parent (the trunk-details extension).
 */
public record Port(String id, String networkId, String projectId, String name, String description, String macAddress,
                   boolean adminStateUp, String status, String deviceId, String deviceOwner, String ipAllocation,
                   boolean portSecurityEnabled, List<FixedIp> fixedIps, PortBinding binding, List<String> securityGroups,
                   List<AddressPair> allowedAddressPairs, List<Integer> allowedEthertypes, Instant createdAt,
                   Instant updatedAt, long revisionNumber, Optional<TrunkDetails> trunkDetails)
        implements StandardResource {
    public static final String IMMEDIATE = IpAllocation.IMMEDIATE;
    public static final String NONE = IpAllocation.NONE;
    /** The owners of ports that L3 holds (neutron-lib's constants), each made and removed only with its holder. */
    public static final String ROUTER_INTERFACE = "network:router_interface";
    public static final String ROUTER_GATEWAY = "network:router_gateway";
    public static final String FLOATING_IP = "network:floatingip";

    public Port {
        fixedIps = List.copyOf(fixedIps);
        securityGroups = List.copyOf(securityGroups);
        allowedAddressPairs = List.copyOf(allowedAddressPairs);
        allowedEthertypes = List.copyOf(allowedEthertypes);
    }

    /**
     * The same port with the rows kept beside it: addresses, security groups, address pairs, ethertypes
     * and, for a trunk's parent, its trunk.
     */
    public Port with(List<FixedIp> ips, List<String> groups, List<AddressPair> pairs, List<Integer> ethertypes,
                     Optional<TrunkDetails> trunk) {
        return new Port(id, networkId, projectId, name, description, macAddress, adminStateUp, status, deviceId,
                deviceOwner, ipAllocation, portSecurityEnabled, ips, binding, groups, pairs, ethertypes, createdAt,
                updatedAt, revisionNumber, trunk);
    }

    /** The same port without its addresses on {@code subnetId} (that subnet is going away). */
    public Port withoutAddressesOn(String subnetId, Instant now) {
        return new Port(id, networkId, projectId, name, description, macAddress, adminStateUp, status, deviceId,
                deviceOwner, ipAllocation, portSecurityEnabled,
                fixedIps.stream().filter(ip -> !ip.subnetId().equals(subnetId)).toList(), binding, securityGroups,
                allowedAddressPairs, allowedEthertypes, createdAt, now, revisionNumber + 1, trunkDetails);
    }

    /** Whether a router or a floating IP holds this port. */
    public boolean isL3() {
        return deviceOwner.equals(ROUTER_INTERFACE) || deviceOwner.equals(ROUTER_GATEWAY)
                || deviceOwner.equals(FLOATING_IP);
    }

    /** The same port with another owner and device (a port becoming a router's interface, or leaving it). */
    public Port ownedBy(String newDeviceOwner, String newDeviceId, Instant now) {
        return new Port(id, networkId, projectId, name, description, macAddress, adminStateUp, status, newDeviceId,
                newDeviceOwner, ipAllocation, portSecurityEnabled, fixedIps, binding, securityGroups,
                allowedAddressPairs, allowedEthertypes, createdAt, now, revisionNumber + 1, trunkDetails);
    }

    /** The same port in another status, as the host agent reports it. */
    public Port withStatus(String newStatus, Instant now) {
        return new Port(id, networkId, projectId, name, description, macAddress, adminStateUp, newStatus, deviceId,
                deviceOwner, ipAllocation, portSecurityEnabled, fixedIps, binding, securityGroups, allowedAddressPairs,
                allowedEthertypes, createdAt, now, revisionNumber + 1, trunkDetails);
    }

    /** The same port bound otherwise (a binding activated or first made through the bindings API). */
    public Port withBinding(PortBinding newBinding, Instant now) {
        return new Port(id, networkId, projectId, name, description, macAddress, adminStateUp, status, deviceId,
                deviceOwner, ipAllocation, portSecurityEnabled, fixedIps, newBinding, securityGroups, allowedAddressPairs,
                allowedEthertypes, createdAt, now, revisionNumber + 1, trunkDetails);
    }

    /** The same port bound as a trunk's sub-port (or unbound from its trunk), DOWN until its host wires it. */
    public Port boundForTrunk(PortBinding newBinding, String newDeviceOwner, Instant now) {
        return new Port(id, networkId, projectId, name, description, macAddress, adminStateUp, PortStatus.DOWN, deviceId,
                newDeviceOwner, ipAllocation, portSecurityEnabled, fixedIps, newBinding, securityGroups,
                allowedAddressPairs, allowedEthertypes, createdAt, now, revisionNumber + 1, trunkDetails);
    }

    /** An ethertype as the API writes it (and nft reads it): "0x8847". */
    public static String ethertype(int ethertype) {
        return String.format("0x%04x", ethertype);
    }

    /** The unaddressed port ({@link IpAllocation#unaddressed}): bound only with L2 connectivity, filtered by MAC. */
    public boolean unaddressed() {
        return IpAllocation.unaddressed(fixedIps, ipAllocation);
    }

    /** What policy rules see of a port: its owner and its network's. */
    public Map<String, String> target(Map<String, String> networkTarget) {
        Map<String, String> target = new java.util.HashMap<>(networkTarget);
        target.put("project_id", projectId);
        return target;
    }
}
