package dev.portside.compute.server;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portside.common.auth.AuthContext;
import dev.portside.common.db.Constraints;
import dev.portside.common.http.ApiException;
import dev.portside.common.http.Requests;
import dev.portside.common.json.Fields;
import dev.portside.common.json.Json;
import dev.portside.compute.Microversion;
import dev.portside.compute.NovaErrors;
import dev.portside.compute.network.NetworkClient;
import dev.portside.compute.network.NetworkInfo;
import dev.portside.compute.network.NetworkPort;
import io.javalin.http.Context;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * {@code /servers/{id}/os-interface}: list, show, attach (a port the user brings, under the spec's
 * rule, or a new port on a network, with a device tag from 2.49, shown from 2.70) and detach.
 * Attaching waits until the port is bound and plugged, as Nova's does.
 */
public final class InterfaceApi {
    private static final Set<String> ATTACHABLE = Set.of(Server.ACTIVE, Server.STOPPED);

    private final InstanceActions instanceActions;
    private final Jdbi jdbi;
    private final ServerStore servers;
    private final ServerApi serverApi;
    private final NetworkClient network;
    private final ComputeManager manager;
    private final Clock clock;

    public InterfaceApi(Jdbi jdbi, ServerStore servers, ServerApi serverApi, NetworkClient network,
                        ComputeManager manager, Clock clock, InstanceActions instanceActions) {
        this.instanceActions = instanceActions;
        this.jdbi = jdbi;
        this.servers = servers;
        this.serverApi = serverApi;
        this.network = network;
        this.manager = manager;
        this.clock = clock;
    }

    public void list(Context ctx) {
        AuthContext caller = Requests.auth(ctx);
        Server server = serverApi.visible(caller, ctx.pathParam("server_id"), "os_compute_api:os-attach-interfaces:list");
        ObjectNode body = Json.object();
        ArrayNode items = body.putArray("interfaceAttachments");
        jdbi.withHandle(h -> servers.vifs(h, server.id())).forEach(vif -> items.add(render(ctx, caller, vif)));
        Requests.respond(ctx, 200, body);
    }

    public void show(Context ctx) {
        AuthContext caller = Requests.auth(ctx);
        Server server = serverApi.visible(caller, ctx.pathParam("server_id"), "os_compute_api:os-attach-interfaces:show");
        ServerVif vif = attached(server, ctx.pathParam("port_id"));
        Requests.respond(ctx, 200, Json.object().set("interfaceAttachment", render(ctx, caller, vif)));
    }

    public void attach(Context ctx) {
        AuthContext caller = Requests.auth(ctx);
        Server server = serverApi.changeable(caller, ctx.pathParam("server_id"), "os_compute_api:os-attach-interfaces:create");
        Microversion version = Microversion.of(ctx);
        // The body is optional, as in Nova: without a port or a network, the server's project's network is used.
        ObjectNode request = ctx.body().isBlank() ? Json.object() : Requests.jsonBody(ctx);
        if (!request.has("interfaceAttachment")) {
            request.putObject("interfaceAttachment");
        }
        Fields body = Fields.wrapped(request, "interfaceAttachment", version.atLeast(49)
                ? Set.of("port_id", "net_id", "fixed_ips", "tag") : Set.of("port_id", "net_id", "fixed_ips"));
        Optional<String> portId = body.string("port_id", 36);
        Optional<String> givenNet = body.string("net_id", 36);
        Optional<String> tag = body.string("tag", 60).map(t -> ServerRequest.deviceTag("tag", t));
        Optional<String> netId = portId.isEmpty() && givenNet.isEmpty() && !body.has("fixed_ips")
                ? serverApi.autoNetwork(caller, NovaErrors::badRequest).stream().findFirst().map(NetworkInfo::id)
                : givenNet;
        Optional<String> fixedIp = body.objects("fixed_ips", Set.of("ip_address")).flatMap(ips -> {
            if (ips.size() > 1) {
                throw NovaErrors.badRequest("Invalid input for field/attribute fixed_ips: at most one address.");
            }
            return ips.stream().findFirst().map(ip -> ServerRequest.address(ip.requiredString("ip_address", 64)));
        });
        if (portId.isPresent() == netId.isPresent()) {
            throw NovaErrors.badRequest("Give either a port_id or a net_id.");
        }
        if (portId.isPresent() && fixedIp.isPresent()) {
            throw NovaErrors.badRequest("fixed_ips cannot be given with a port_id: the port's own addresses are used.");
        }
        if (!ATTACHABLE.contains(server.vmState()) || server.taskState().isPresent()) {
            throw server.taskState().isPresent()
                    ? NovaErrors.invalidState("attach_interface", server.id(), "task_state", server.taskState().get())
                    : NovaErrors.invalidState("attach_interface", server.id(), "vm_state", server.vmState());
        }
        Optional<ServerVif> claimed = Optional.empty();
        if (portId.isPresent()) {
            NetworkPort port = PortRules.requestable(portId.get(), network.findPort(caller, portId.get()),
                    NovaErrors.notFound("Port id " + portId.get() + " could not be found."));
            String label = network.findNetwork(caller, port.networkId()).map(NetworkInfo::name).orElse(port.networkId());
            claimed = Optional.of(claim(server, port, label, tag));
        } else {
            NetworkInfo info = network.findNetwork(caller, netId.get())
                    .orElseThrow(() -> NovaErrors.notFound("Network " + netId.get() + " could not be found."));
            if (info.subnetIds().isEmpty()) {
                throw NovaErrors.badRequest("Network " + info.id() + " requires a subnet in order to boot instances on.");
            }
        }
        ServerVif attached;
        try {
            attached = manager.attach(server.id(), claimed, netId, fixedIp, tag, caller).get();
        } catch (ExecutionException | CompletionException e) {
            throw failure(server.id(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        jdbi.useTransaction(h -> instanceActions.record(h, ctx, server.id(), "attach_interface", caller));
        Requests.respond(ctx, 200, Json.object().set("interfaceAttachment", render(ctx, caller, attached)));
    }

    private ServerVif claim(Server server, NetworkPort port, String label, Optional<String> tag) {
        try {
            return jdbi.inTransaction(h -> {
                ServerVif vif = new ServerVif(port.id(), server.id(), servers.nextPosition(h, server.id()), false,
                        port.networkId(), label, port.macAddress(), port.fixedIps(), clock.instant(), tag);
                servers.insertVif(h, vif);
                return vif;
            });
        } catch (UnableToExecuteStatementException e) {
            if (Constraints.isUniqueViolation(e)) {
                throw PortRules.portInUse(port.id());
            }
            throw e;
        }
    }

    // Nova answers an attach the host could not do with 500 InterfaceAttachFailed; Portside says why.
    private static RuntimeException failure(String serverId, Throwable cause) {
        if (cause instanceof ApiException api) {
            return api;
        }
        return new ApiException(500, "InterfaceAttachFailed", "Failed to attach network adapter device to "
                + serverId + ": " + cause.getMessage());
    }

    public void detach(Context ctx) {
        AuthContext caller = Requests.auth(ctx);
        Server server = serverApi.changeable(caller, ctx.pathParam("server_id"), "os_compute_api:os-attach-interfaces:delete");
        ServerVif vif = attached(server, ctx.pathParam("port_id"));
        if (server.taskState().isPresent()) {
            throw NovaErrors.invalidState("detach_interface", server.id(), "task_state", server.taskState().get());
        }
        manager.detach(server.id(), vif);
        jdbi.useTransaction(h -> instanceActions.record(h, ctx, server.id(), "detach_interface", caller));
        ctx.status(202);
    }

    private ServerVif attached(Server server, String portId) {
        return jdbi.withHandle(h -> servers.vifs(h, server.id())).stream().filter(v -> v.portId().equals(portId))
                .findFirst().orElseThrow(() -> NovaErrors.notFound("Port " + portId + " is not attached"));
    }

    private ObjectNode render(Context ctx, AuthContext caller, ServerVif vif) {
        String state = network.findPort(caller, vif.portId()).map(NetworkPort::status).orElse("DOWN");
        ObjectNode json = Json.object().put("port_state", state).put("port_id", vif.portId())
                .put("net_id", vif.networkId()).put("mac_addr", vif.macAddress());
        ArrayNode ips = json.putArray("fixed_ips");
        vif.fixedIps().forEach(ip -> ips.addObject().put("subnet_id", ip.subnetId()).put("ip_address", ip.ipAddress()));
        if (Microversion.of(ctx).atLeast(70)) {
            json.put("tag", vif.tag().orElse(null));
        }
        return json;
    }
}
