package dev.portside.compute.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portside.common.auth.AuthContext;
import dev.portside.common.http.ApiException;
import dev.portside.compute.NovaErrors;
import dev.portside.compute.network.NetworkClient;
import dev.portside.compute.network.NetworkFailure;
import dev.portside.compute.network.NetworkPort;
import dev.portside.compute.network.SecurityGroupInfo;
import org.jdbi.v3.core.Jdbi;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A server's security groups, as Nova keeps them with Neutron: the groups named at boot, resolved
 * to the project's groups for the ports compute makes; the groups a server shows (its ports');
 * and the add and remove security group actions, which change every port of the server. Unlike
 * Nova, a port without an address may carry groups: Portside filters unaddressed ports too.
 */
final class ServerSecurityGroups {
    private final Jdbi jdbi;
    private final ServerStore servers;
    private final NetworkClient network;

    ServerSecurityGroups(Jdbi jdbi, ServerStore servers, NetworkClient network) {
        this.jdbi = jdbi;
        this.servers = servers;
        this.network = network;
    }

    /**
     * The ids of the groups named at boot. None named, or only "default", is none: the network
     * service then gives each port the project's default group, as Nova leaves it to Neutron.
     */
    List<String> forBoot(AuthContext caller, List<String> names) {
        if (names.isEmpty() || names.equals(List.of("default"))) {
            return List.of();
        }
        return names.stream().map(name -> resolve(caller, name, () -> NovaErrors.badRequest(
                "Unable to find security_group with name or id '" + name + "'"))).distinct().toList();
    }

    /** The names of the groups on each server's ports, by server id, in port order and once each. */
    Map<String, List<String>> shown(Map<String, List<ServerVif>> vifsByServer) {
        List<String> portIds = vifsByServer.values().stream().flatMap(List::stream).map(ServerVif::portId).toList();
        Map<String, List<String>> byPort = portIds.isEmpty() ? Map.of() : network.securityGroupNames(portIds);
        Map<String, List<String>> byServer = new LinkedHashMap<>();
        vifsByServer.forEach((server, vifs) -> byServer.put(server, vifs.stream()
                .flatMap(vif -> byPort.getOrDefault(vif.portId(), List.of()).stream()).distinct().toList()));
        return byServer;
    }

    /** {"addSecurityGroup": {"name": N}}: the group goes on every port of the server. */
    void add(AuthContext caller, Server server, JsonNode request) {
        String name = groupName(request);
        String groupId = resolve(caller, name, () -> notFoundForProject(caller, name));
        List<NetworkPort> ports = ports(caller, server);
        for (NetworkPort port : ports) {
            if (!port.portSecurityEnabled()) {
                throw NovaErrors.badRequest("Network requires port_security_enabled and subnet associated in order"
                        + " to apply security groups.");
            }
        }
        for (NetworkPort port : ports) {
            if (!port.securityGroups().contains(groupId)) {
                List<String> groups = new ArrayList<>(port.securityGroups());
                groups.add(groupId);
                update(caller, port, groups);
            }
        }
    }

    /** {"removeSecurityGroup": {"name": N}}: the group leaves every port of the server that has it. */
    void remove(AuthContext caller, Server server, JsonNode request) {
        String name = groupName(request);
        String groupId = resolve(caller, name, () -> notFoundForProject(caller, name));
        boolean found = false;
        for (NetworkPort port : ports(caller, server)) {
            if (port.securityGroups().contains(groupId)) {
                update(caller, port, port.securityGroups().stream().filter(id -> !id.equals(groupId)).toList());
                found = true;
            }
        }
        if (!found) {
            throw NovaErrors.notFound("Security group " + name + " not associated with the instance " + server.id());
        }
    }

    private String resolve(AuthContext caller, String nameOrId, java.util.function.Supplier<ApiException> missing) {
        List<SecurityGroupInfo> found;
        try {
            found = network.findSecurityGroups(caller, nameOrId);
        } catch (NetworkFailure e) {
            throw e.asApiError();
        }
        if (found.isEmpty()) {
            throw missing.get();
        }
        if (found.size() > 1) {
            throw NovaErrors.conflict("Multiple security_group matches found for name '" + nameOrId
                    + "', use an ID to be more specific.");
        }
        return found.getFirst().id();
    }

    private List<NetworkPort> ports(AuthContext caller, Server server) {
        List<NetworkPort> ports = jdbi.withHandle(h -> servers.vifs(h, server.id())).stream()
                .map(vif -> network.findPort(caller, vif.portId())).flatMap(Optional::stream).toList();
        if (ports.isEmpty()) {
            throw NovaErrors.notFound("instance_id " + server.id() + " could not be found as device id on any ports");
        }
        return ports;
    }

    private void update(AuthContext caller, NetworkPort port, List<String> groups) {
        try {
            network.updateSecurityGroups(caller, port.id(), groups);
        } catch (NetworkFailure e) {
            // The network service's refusal (a 400 or 409 on the port) is the user's answer, as in Nova.
            throw e.asApiError();
        }
    }

    private static ApiException notFoundForProject(AuthContext caller, String name) {
        return NovaErrors.notFound("Security group " + name + " is not found for project "
                + caller.projectId().orElse(""));
    }

    // Nova's own checks of the action body, before any lookup.
    private static String groupName(JsonNode request) {
        if (request == null || !request.isObject()) {
            throw NovaErrors.badRequest("Missing parameter dict");
        }
        JsonNode name = request.get("name");
        if (name == null) {
            throw NovaErrors.badRequest("Security group not specified");
        }
        if (!name.isTextual() || name.asText().isBlank()) {
            throw NovaErrors.badRequest("Security group name cannot be empty");
        }
        return name.asText();
    }
}
