package dev.portside.compute.network;

import dev.portside.common.auth.AuthContext;

import java.util.Optional;

/**
 * How compute reaches the network service (Nova's neutronv2 API, reduced to what Portside uses).
 * Lookups and port creation act as the user, so the network service's own policy decides what they
 * may see and use; binding, unbinding and deleting compute's ports act as the compute service.
 * Failures other than "not found" raise {@link NetworkFailure}.
 */
public interface NetworkClient {

    /** The port, if it exists and {@code caller} may see it. */
    Optional<NetworkPort> findPort(AuthContext caller, String portId);

    /** The port, if it exists, as the compute service reads it (a trunk's sub-ports, whoever owns them). */
    Optional<NetworkPort> findAnyPort(String portId);

    /** The network, if it exists and {@code caller} may see it. */
    Optional<NetworkInfo> findNetwork(AuthContext caller, String networkId);

    /** Every network {@code caller} may see (its project's and shared ones). */
    java.util.List<NetworkInfo> networks(AuthContext caller);

    /**
     * The security groups {@code nameOrId} may mean for the caller, as Nova resolves a name given at
     * boot: the group with that id if the caller may see it, else the groups of that name in the
     * caller's project (none: not found; several: ambiguous, the caller must use an id).
     */
    java.util.List<SecurityGroupInfo> findSecurityGroups(AuthContext caller, String nameOrId);

    /**
     * The security groups the caller sees, narrowed by Networking list filters (e.g. {@code project_id},
     * {@code id}, several values matching any), each with its rules.
     */
    java.util.List<SecurityGroupInfo> securityGroups(AuthContext caller, java.util.Map<String, java.util.List<String>> filters);

    /** The names of each port's security groups, by port id, as compute shows a server's (ports gone are left out). */
    java.util.Map<String, java.util.List<String>> securityGroupNames(java.util.Collection<String> portIds);

    /** Creates a security group in the caller's project (Nova's proxy, before 2.36). */
    SecurityGroupInfo createSecurityGroup(AuthContext caller, String name, String description);

    /** Renames a security group and replaces its description. */
    SecurityGroupInfo updateSecurityGroup(AuthContext caller, String id, String name, String description);

    /** Deletes a security group; one the caller cannot see is NetworkFailure 404. */
    void deleteSecurityGroup(AuthContext caller, String id);

    /** Adds a rule to a group; the answer is the rule as the network service made it. */
    SecurityGroupInfo.Rule createSecurityGroupRule(AuthContext caller, String groupId, RuleRequest rule);

    /** The group a rule belongs to, if the caller may see the rule. */
    java.util.Optional<String> groupOfRule(AuthContext caller, String ruleId);

    /** Deletes a rule; one the caller cannot see is NetworkFailure 404. */
    void deleteSecurityGroupRule(AuthContext caller, String ruleId);

    /** A rule as Networking takes it (empty: null). */
    record RuleRequest(String direction, String ethertype, java.util.Optional<String> protocol,
                       java.util.Optional<Integer> portRangeMin, java.util.Optional<Integer> portRangeMax,
                       java.util.Optional<String> remoteIpPrefix, java.util.Optional<String> remoteGroupId) {
    }

    /** Replaces a port's security groups, acting as the user (Nova's add and remove security group). */
    NetworkPort updateSecurityGroups(AuthContext caller, String portId, java.util.List<String> groupIds);

    /** A port compute makes for a server on a requested network, owned by the caller's project. */
    NetworkPort createPort(AuthContext caller, PortRequest request);

    /** Binds the port to {@code host} for the server: binding:host_id, device_id and device_owner. */
    NetworkPort bindPort(String portId, String host, String serverId, String deviceOwner);

    /** Where a bound port lives, for the host to wire it: its network's MTU and its addresses' subnets. */
    Topology topology(NetworkPort port);

    /**
     * A port's network MTU, the subnets of its fixed IPs, and where its frames leave the host, for a
     * network that reaches beyond it (a provider network, a VXLAN network).
     */
    record Topology(int mtu, java.util.List<SubnetInfo> subnets, java.util.Optional<Wire> wire) {
        public Topology {
            subnets = java.util.List.copyOf(subnets);
        }
    }

    /**
     * A network's way off the host, as its provider attributes say: a physical network, untagged
     * ({@code flat}) or on a VLAN ({@code vlan}), or a tunnel to the other hosts ({@code vxlan}, with
     * its VXLAN id).
     */
    record Wire(String networkType, java.util.Optional<String> physicalNetwork,
                java.util.Optional<Integer> segmentationId) {
    }

    /** Clears the binding and the device: the port is free for another server. */
    void unbindPort(String portId);

    /** Deletes a port compute created; a port already gone is not an error. */
    void deletePort(String portId);

    /**
     * What compute asks for when it creates a port: the network, optionally one address, its server,
     * and its security group ids (none: the network service gives the project's default group).
     */
    record PortRequest(String networkId, Optional<String> fixedIp, String serverId, String deviceOwner,
                       java.util.List<String> securityGroupIds) {
        public PortRequest {
            securityGroupIds = java.util.List.copyOf(securityGroupIds);
        }
    }
}
