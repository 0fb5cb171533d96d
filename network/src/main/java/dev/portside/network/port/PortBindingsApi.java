package dev.portside.network.port;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portside.common.auth.AuthContext;
import dev.portside.common.http.ApiException;
import dev.portside.common.http.Requests;
import dev.portside.common.json.Fields;
import dev.portside.common.json.Json;
import dev.portside.common.policy.Policy;
import dev.portside.network.NeutronErrors;
import dev.portside.network.binding.BindingRequest;
import dev.portside.network.binding.PortBinder;
import dev.portside.network.binding.PortBinding;
import dev.portside.network.change.Change;
import dev.portside.network.change.Transactions;
import dev.portside.network.net.NetworkStore;
import io.javalin.http.Context;
import org.jdbi.v3.core.Handle;

import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code /v2.0/ports/{id}/bindings} (binding-extended): a port's binding to each host, the ACTIVE
 * one (what binding:host_id shows) and INACTIVE ones prepared for another host, then activated -
 * the sequence Nova follows to live-migrate. The unaddressed-port rule applies to every binding,
 * since each is made by the same {@link PortBinder}. Admin-only, as in Neutron.
 */
public final class PortBindingsApi {
    private static final Set<String> CREATE = Set.of("host", "vnic_type", "profile");

    private final Transactions tx;
    private final PortStore ports;
    private final PortService portService;
    private final PortBinder binder;
    private final Policy policy;
    private final Clock clock;

    public PortBindingsApi(Transactions tx, PortStore ports, PortService portService, PortBinder binder, Policy policy,
                           Clock clock) {
        this.tx = tx;
        this.ports = ports;
        this.portService = portService;
        this.binder = binder;
        this.policy = policy;
        this.clock = clock;
    }

    public void create(Context ctx) {
        AuthContext caller = Requests.auth(ctx);
        Fields fields = Fields.wrapped(Requests.jsonBody(ctx), "binding", CREATE);
        String host = fields.requiredName("host", 255);
        String vnicType = fields.string("vnic_type", 64).orElse("normal");
        Map<String, Object> profile = fields.freeObject("profile").map(o -> Json.MAPPER.convertValue(o,
                new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() {
                })).orElse(Map.of());
        ObjectNode json = tx.inTransaction((h, changes) -> {
            Port port = port(h, caller, ctx.pathParam("port_id"));
            if (port.binding().hostId().equals(host) || ports.inactiveBindings(h, port.id()).stream()
                    .anyMatch(b -> b.hostId().equals(host))) {
                throw new ApiException(409, "PortBindingAlreadyExists", "Binding for port " + port.id() + " on host "
                        + host + " already exists.");
            }
            PortBinding binding = new PortBinding(host, vnicType, profile,
                    binder.bind(new BindingRequest(port.id(), port.networkId(), host, !port.fixedIps().isEmpty(),
                            port.unaddressed(), vnicType)));
            // A port bound nowhere takes its first binding as the active one, as Neutron does.
            boolean active = port.binding().hostId().isEmpty();
            if (active) {
                Port bound = port.withBinding(binding, NetworkStore.now(clock));
                ports.update(h, bound);
                changes.accept(Change.PortChange.updated(port, bound));
            } else {
                ports.addInactiveBinding(h, port.id(), binding);
            }
            return render(binding, active);
        });
        Requests.respond(ctx, 201, Json.object().set("binding", json));
    }

    public void list(Context ctx) {
        AuthContext caller = Requests.auth(ctx);
        ArrayNode bindings = tx.read(h -> {
            Port port = port(h, caller, ctx.pathParam("port_id"));
            ArrayNode all = Json.array();
            if (!port.binding().hostId().isEmpty()) {
                all.add(render(port.binding(), true));
            }
            ports.inactiveBindings(h, port.id()).forEach(b -> all.add(render(b, false)));
            return all;
        });
        ObjectNode body = Json.object();
        body.set("bindings", bindings);
        Requests.respond(ctx, 200, body);
    }

    public void show(Context ctx) {
        AuthContext caller = Requests.auth(ctx);
        String host = ctx.pathParam("host");
        ObjectNode json = tx.read(h -> {
            Port port = port(h, caller, ctx.pathParam("port_id"));
            if (port.binding().hostId().equals(host)) {
                return render(port.binding(), true);
            }
            return render(inactive(h, port, host), false);
        });
        Requests.respond(ctx, 200, Json.object().set("binding", json));
    }

    public void activate(Context ctx) {
        AuthContext caller = Requests.auth(ctx);
        String host = ctx.pathParam("host");
        ObjectNode json = tx.inTransaction((h, changes) -> {
            Port port = port(h, caller, ctx.pathParam("port_id"));
            if (port.binding().hostId().equals(host)) {
                throw new ApiException(409, "PortBindingAlreadyActive", "Binding for port " + port.id() + " on host "
                        + host + " is already active.");
            }
            PortBinding target = inactive(h, port, host);
            ports.removeInactiveBinding(h, port.id(), host);
            if (!port.binding().hostId().isEmpty()) {
                ports.addInactiveBinding(h, port.id(), port.binding());
            }
            Port activated = port.withBinding(target, NetworkStore.now(clock));
            ports.update(h, activated);
            changes.accept(Change.PortChange.updated(port, activated));
            // A trunk's sub-ports go where their parent goes, as with binding:host_id.
            portService.moveSubPorts(h, changes, port.id(), host);
            return render(target, true);
        });
        Requests.respond(ctx, 200, Json.object().set("binding", json));
    }

    public void delete(Context ctx) {
        AuthContext caller = Requests.auth(ctx);
        String host = ctx.pathParam("host");
        tx.inTransaction((h, changes) -> {
            Port port = port(h, caller, ctx.pathParam("port_id"));
            if (port.binding().hostId().equals(host)) {
                // Unbinding the active host is done through the port (binding:host_id ""), so compute stays in charge.
                throw new ApiException(409, "PortBindingError", "The active binding of port " + port.id()
                        + " cannot be deleted; activate another binding or clear binding:host_id.");
            }
            if (!ports.removeInactiveBinding(h, port.id(), host)) {
                throw notFound(port.id(), host);
            }
            return host;
        });
        ctx.status(204);
    }

    private Port port(Handle h, AuthContext caller, String id) {
        policy.enforce("port_bindings", caller, Map.of());
        return ports.find(h, id).orElseThrow(() -> NeutronErrors.portNotFound(id));
    }

    private PortBinding inactive(Handle h, Port port, String host) {
        Optional<PortBinding> found = ports.inactiveBindings(h, port.id()).stream().filter(b -> b.hostId().equals(host))
                .findFirst();
        return found.orElseThrow(() -> notFound(port.id(), host));
    }

    private static ApiException notFound(String portId, String host) {
        return new ApiException(404, "PortBindingNotFound", "Binding for port " + portId + " for host " + host
                + " could not be found.");
    }

    private static ObjectNode render(PortBinding binding, boolean active) {
        ObjectNode json = Json.object().put("host", binding.hostId()).put("vif_type", binding.binding().vifType())
                .put("vnic_type", binding.vnicType()).put("status", active ? "ACTIVE" : "INACTIVE");
        json.set("vif_details", Json.MAPPER.valueToTree(binding.binding().vifDetails()));
        json.set("profile", Json.MAPPER.valueToTree(binding.profile()));
        return json;
    }
}
