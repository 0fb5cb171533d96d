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
import dev.portside.compute.network.SubnetInfo;
import dev.portside.network.Networking;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Compute's network client when both services run in one process: the same operations, checks and
 * JSON as the Networking API, called directly. Lookups and port creation act as the user; binding,
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
        return found(() -> NeutronJson.port(networking.ports().show(caller, portId)));
    }

    @Override
    public Optional<NetworkInfo> findNetwork(AuthContext caller, String networkId) {
        return found(() -> NeutronJson.network(networking.networks().show(caller, networkId)));
    }

    @Override
    public List<NetworkInfo> networks(AuthContext caller) {
        return call(() -> networking.networks().list(caller).stream().map(NeutronJson::network).toList());
    }

    @Override
    public NetworkPort createPort(AuthContext caller, PortRequest request) {
        ObjectNode body = Json.object();
        ObjectNode port = body.putObject("port").put("network_id", request.networkId())
                .put("device_id", request.serverId()).put("device_owner", request.deviceOwner());
        request.fixedIp().ifPresent(ip -> port.putArray("fixed_ips").addObject().put("ip_address", ip));
        return call(() -> NeutronJson.port(networking.ports().create(caller, body)));
    }

    @Override
    public NetworkPort bindPort(String portId, String host, String serverId, String deviceOwner) {
        return update(portId, host, serverId, deviceOwner);
    }

    @Override
    public Topology topology(NetworkPort port) {
        return call(() -> {
            int mtu = NeutronJson.network(networking.networks().show(COMPUTE_SERVICE, port.networkId())).mtu();
            List<SubnetInfo> subnets = port.fixedIps().stream().map(NetworkPort.FixedIp::subnetId).distinct()
                    .map(id -> NeutronJson.subnet(networking.subnets().show(COMPUTE_SERVICE, id))).toList();
            return new Topology(mtu, subnets);
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
        return call(() -> NeutronJson.port(networking.ports().update(COMPUTE_SERVICE, portId, body, Optional.empty())));
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
