package dev.portside.app;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portside.common.auth.AuthContext;
import dev.portside.common.http.ApiException;
import dev.portside.common.json.Json;
import dev.portside.compute.network.NetworkClient;
import dev.portside.compute.network.NetworkFailure;
import dev.portside.compute.network.NetworkInfo;
import dev.portside.compute.network.NetworkPort;
import dev.portside.compute.network.NeutronJson;
import dev.portside.compute.network.SecurityGroupInfo;
import dev.portside.compute.network.SubnetInfo;
import dev.portside.network.Networking;
import dev.portside.network.api.Definitions;
import dev.portside.network.api.ListRequest;
import dev.portside.network.api.ResourceDefinition;
import dev.portside.network.api.StandardResource;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Compute's network client when both services run in one process: the network service's own
 * services, called directly with the same checks as over HTTP, and their results read as the JSON
 * the API would answer (so compute reads one shape, local or remote). Lookups and port creation act as the user; binding,
 * unbinding and deleting act as the compute service, an admin of the network service, as Nova's
 * service user is to Neutron.
 */
final class LocalNetworkClient implements NetworkClient {
    static final AuthContext COMPUTE_SERVICE = new AuthContext("portside-compute", "nova", "default", Optional.empty(),
            Optional.empty(), Set.of("admin", "member", "reader", "service"), List.of("internal"), Instant.MAX, List.of());

    private final Networking networking;

    LocalNetworkClient(Networking networking) {
        this.networking = networking;
    }

    @Override
    public Optional<NetworkPort> findPort(AuthContext caller, String portId) {
        return found(() -> NeutronJson.port(json(Definitions.PORT, networking.ports().show(caller, portId))));
    }

    @Override
    public Optional<NetworkPort> findAnyPort(String portId) {
        return findPort(COMPUTE_SERVICE, portId);
    }

    @Override
    public Optional<NetworkInfo> findNetwork(AuthContext caller, String networkId) {
        return found(() -> NeutronJson.network(json(Definitions.NETWORK, networking.networks().show(caller, networkId))));
    }

    @Override
    public List<NetworkInfo> networks(AuthContext caller) {
        return call(() -> networking.networks().list(caller, ListRequest.all()).items().stream()
                .map(n -> NeutronJson.network(json(Definitions.NETWORK, n))).toList());
    }

    @Override
    public NetworkPort createPort(AuthContext caller, PortRequest request) {
        ObjectNode body = Json.object();
        ObjectNode port = body.putObject("port").put("network_id", request.networkId())
                .put("device_id", request.serverId()).put("device_owner", request.deviceOwner());
        request.fixedIp().ifPresent(ip -> port.putArray("fixed_ips").addObject().put("ip_address", ip));
        if (!request.securityGroupIds().isEmpty()) {
            var groups = port.putArray("security_groups");
            request.securityGroupIds().forEach(groups::add);
        }
        return call(() -> NeutronJson.port(json(Definitions.PORT, networking.ports().create(caller,
                Definitions.PORT.forCreate(body)))));
    }

    @Override
    public List<SecurityGroupInfo> findSecurityGroups(AuthContext caller, String nameOrId) {
        Optional<SecurityGroupInfo> byId = found(() -> NeutronJson.securityGroup(json(Definitions.SECURITY_GROUP,
                networking.securityGroups().show(caller, nameOrId))));
        if (byId.isPresent()) {
            return List.of(byId.get());
        }
        Map<String, List<String>> byName = new LinkedHashMap<>(Map.of("name", List.of(nameOrId)));
        caller.projectId().ifPresent(project -> byName.put("project_id", List.of(project)));
        return securityGroups(caller, byName);
    }

    @Override
    public List<SecurityGroupInfo> securityGroups(AuthContext caller, Map<String, List<String>> filters) {
        return call(() -> networking.securityGroups().list(caller, filtered(filters)).items().stream()
                .map(g -> NeutronJson.securityGroup(json(Definitions.SECURITY_GROUP, g))).toList());
    }

    @Override
    public Map<String, List<String>> securityGroupNames(Collection<String> portIds) {
        if (portIds.isEmpty()) {
            return Map.of();
        }
        return call(() -> {
            List<NetworkPort> ports = networking.ports().list(COMPUTE_SERVICE,
                    filtered(Map.of("id", List.copyOf(portIds)))).items().stream()
                    .map(p -> NeutronJson.port(json(Definitions.PORT, p))).toList();
            List<String> groupIds = ports.stream().flatMap(p -> p.securityGroups().stream()).distinct().toList();
            Map<String, String> names = new HashMap<>();
            if (!groupIds.isEmpty()) {
                networking.securityGroups().list(COMPUTE_SERVICE, filtered(Map.of("id", groupIds))).items()
                        .forEach(g -> names.put(g.id(), g.name()));
            }
            Map<String, List<String>> byPort = new HashMap<>();
            ports.forEach(p -> byPort.put(p.id(), p.securityGroups().stream().map(id -> names.getOrDefault(id, id)).toList()));
            return byPort;
        });
    }

    @Override
    public SecurityGroupInfo createSecurityGroup(AuthContext caller, String name, String description) {
        ObjectNode body = Json.object();
        body.putObject("security_group").put("name", name).put("description", description);
        return call(() -> NeutronJson.securityGroup(json(Definitions.SECURITY_GROUP, networking.securityGroups()
                .create(caller, Definitions.SECURITY_GROUP.forCreate(body)))));
    }

    @Override
    public SecurityGroupInfo updateSecurityGroup(AuthContext caller, String id, String name, String description) {
        ObjectNode body = Json.object();
        body.putObject("security_group").put("name", name).put("description", description);
        return call(() -> NeutronJson.securityGroup(json(Definitions.SECURITY_GROUP, networking.securityGroups()
                .update(caller, id, body, Optional.empty()))));
    }

    @Override
    public void deleteSecurityGroup(AuthContext caller, String id) {
        call(() -> {
            networking.securityGroups().delete(caller, id, Optional.empty());
            return id;
        });
    }

    @Override
    public SecurityGroupInfo.Rule createSecurityGroupRule(AuthContext caller, String groupId, RuleRequest rule) {
        ObjectNode body = Json.object();
        ObjectNode json = body.putObject("security_group_rule").put("security_group_id", groupId)
                .put("direction", rule.direction()).put("ethertype", rule.ethertype());
        rule.protocol().ifPresent(p -> json.put("protocol", p));
        rule.portRangeMin().ifPresent(p -> json.put("port_range_min", p));
        rule.portRangeMax().ifPresent(p -> json.put("port_range_max", p));
        rule.remoteIpPrefix().ifPresent(p -> json.put("remote_ip_prefix", p));
        rule.remoteGroupId().ifPresent(g -> json.put("remote_group_id", g));
        return call(() -> NeutronJson.securityGroupRule(json(Definitions.SECURITY_GROUP_RULE,
                networking.securityGroupRules().create(caller, Definitions.SECURITY_GROUP_RULE.forCreate(body)))));
    }

    @Override
    public Optional<String> groupOfRule(AuthContext caller, String ruleId) {
        return found(() -> json(Definitions.SECURITY_GROUP_RULE, networking.securityGroupRules().show(caller, ruleId))
                .path("security_group_id").asText());
    }

    @Override
    public void deleteSecurityGroupRule(AuthContext caller, String ruleId) {
        call(() -> {
            networking.securityGroupRules().delete(caller, ruleId, Optional.empty());
            return ruleId;
        });
    }

    @Override
    public NetworkPort updateSecurityGroups(AuthContext caller, String portId, List<String> groupIds) {
        ObjectNode body = Json.object();
        var groups = body.putObject("port").putArray("security_groups");
        groupIds.forEach(groups::add);
        return call(() -> NeutronJson.port(json(Definitions.PORT, networking.ports().update(caller, portId, body,
                Optional.empty()))));
    }

    @Override
    public NetworkPort bindPort(String portId, String host, String serverId, String deviceOwner) {
        return update(portId, host, serverId, deviceOwner);
    }

    @Override
    public Topology topology(NetworkPort port) {
        return call(() -> {
            dev.portside.network.net.Network network = networking.networks().show(COMPUTE_SERVICE, port.networkId());
            List<SubnetInfo> subnets = port.fixedIps().stream().map(NetworkPort.FixedIp::subnetId).distinct()
                    .map(id -> NeutronJson.subnet(json(Definitions.SUBNET, networking.subnets().show(COMPUTE_SERVICE, id))))
                    .toList();
            dev.portside.network.net.Segment segment = network.segment();
            return new Topology(network.mtu(), subnets, Optional.of(segment)
                    .filter(s -> !s.networkType().equals(dev.portside.network.net.Segment.LOCAL))
                    .map(s -> new Wire(s.networkType(), s.physicalNetwork(), s.segmentationId())));
        });
    }

    @Override
    public void unbindPort(String portId) {
        update(portId, "", "", "");
    }

    @Override
    public void deletePort(String portId) {
        found(() -> {
            networking.ports().delete(COMPUTE_SERVICE, portId, Optional.empty());
            return true;
        });
    }

    private NetworkPort update(String portId, String host, String deviceId, String deviceOwner) {
        ObjectNode body = Json.object();
        body.putObject("port").put("binding:host_id", host).put("device_id", deviceId).put("device_owner", deviceOwner);
        return call(() -> NeutronJson.port(json(Definitions.PORT, networking.ports().update(COMPUTE_SERVICE, portId, body,
                Optional.empty()))));
    }

    private static ListRequest filtered(Map<String, List<String>> filters) {
        return new ListRequest(filters, List.of(), List.of(), 0, Optional.empty(), false);
    }

    private static <T extends StandardResource> ObjectNode json(ResourceDefinition<T> definition, T resource) {
        return definition.render(resource, List.of(), rule -> true);
    }

    private static <T> Optional<T> found(Supplier<T> lookup) {
        try {
            return Optional.of(lookup.get());
        } catch (ApiException e) {
            if (e.status() == 404) {
                return Optional.empty();
            }
            throw new NetworkFailure(e.status(), e.type(), e.getMessage());
        }
    }

    private static <T> T call(Supplier<T> operation) {
        try {
            return operation.get();
        } catch (ApiException e) {
            throw new NetworkFailure(e.status(), e.type(), e.getMessage());
        }
    }
}
