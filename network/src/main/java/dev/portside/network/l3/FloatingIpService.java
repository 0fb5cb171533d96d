package dev.portside.network.l3;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portside.common.auth.AuthContext;
import dev.portside.common.db.Constraints;
import dev.portside.common.http.ApiException;
import dev.portside.common.json.Fields;
import dev.portside.common.paging.Page;
import dev.portside.network.NeutronErrors;
import dev.portside.network.StandardAttributes;
import dev.portside.network.api.Definitions;
import dev.portside.network.api.ListRequest;
import dev.portside.network.api.Request;
import dev.portside.network.api.ResourceDefinition;
import dev.portside.network.api.ResourceService;
import dev.portside.network.api.ServiceContext;
import dev.portside.network.change.Change;
import dev.portside.network.change.Transactions;
import dev.portside.network.net.Network;
import dev.portside.network.net.NetworkStore;
import dev.portside.network.port.AddressRequest;
import dev.portside.network.port.FixedIp;
import dev.portside.network.port.Port;
import dev.portside.network.port.PortService;
import dev.portside.network.subnet.Subnet;
import dev.portside.network.subnet.SubnetStore;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Floating IPs: an IPv4 address of an external network, held by a port there, associated with one
 * fixed IPv4 address of a port the project may use, through the router that has its gateway on
 * that external network and an interface on the fixed address's subnet (as Neutron finds it).
 */
public final class FloatingIpService implements ResourceService<FloatingIp> {
    private final ServiceContext context;
    private final FloatingIpStore store;
    private final RouterStore routers;
    private final NetworkStore networks;
    private final SubnetStore subnets;
    private final PortService ports;

    public FloatingIpService(ServiceContext context, FloatingIpStore store, RouterStore routers, NetworkStore networks,
                             SubnetStore subnets, PortService ports) {
        this.context = context;
        this.store = store;
        this.routers = routers;
        this.networks = networks;
        this.subnets = subnets;
        this.ports = ports;
    }

    @Override
    public ResourceDefinition<FloatingIp> definition() {
        return Definitions.FLOATINGIP;
    }

    @Override
    public FloatingIp create(AuthContext caller, Request request) {
        Fields fields = request.fields();
        String project = StandardAttributes.owner(fields, caller, context.policy());
        String networkId = fields.requiredString("floating_network_id", 36);
        Optional<String> address = fields.string("floating_ip_address", 64);
        Optional<String> subnetId = fields.string("subnet_id", 36).map(s -> StandardAttributes.uuid("subnet_id", s));
        Optional<String> portId = fields.nullableString("port_id", 36).flatMap(p -> p);
        Optional<String> fixedIp = fields.string("fixed_ip_address", 64);
        Map<String, String> target = Map.of("project_id", project);
        context.policy().enforce("create_floatingip", caller, target);
        request.enforceAttributes(context.policy(), caller, target);
        return decidedByKeys(() -> context.tx().inTransaction((h, changes) -> {
            context.quotas().claim(h, project, "floatingip", 1);
            Network network = networks.find(h, networkId).orElseThrow(() -> NeutronErrors.networkNotFound(networkId));
            if (!network.routerExternal()) {
                throw badRequest("Network " + networkId + " is not a valid external network");
            }
            List<Subnet> ipv4 = subnets.ofNetwork(h, networkId).stream().filter(s -> s.ipVersion() == 4).toList();
            if (ipv4.isEmpty()) {
                throw badRequest("Network " + networkId + " does not contain any IPv4 subnet");
            }
            String id = StandardAttributes.newId();
            AddressRequest asked = new AddressRequest(subnetId.or(() -> address.isPresent() ? Optional.empty()
                    : Optional.of(ipv4.getFirst().id())), address);
            Port port = ports.createOwned(h, changes, networkId, "", Port.FLOATING_IP, id,
                    Optional.of(List.of(asked)));
            String floatingAddress = port.fixedIps().getFirst().ipAddress();
            Optional<FloatingIp.Association> association = portId.isEmpty() ? Optional.empty()
                    : Optional.of(associate(h, caller, id, networkId, project, portId.get(), fixedIp));
            var now = NetworkStore.now(context.clock());
            FloatingIp created = new FloatingIp(id, project, StandardAttributes.text(fields, "description").orElseThrow(),
                    networkId, port.id(), floatingAddress, association,
                    association.isPresent() ? FloatingIp.ACTIVE : FloatingIp.DOWN, now, now, 1);
            store.insert(h, created);
            association.ifPresent(a -> changes.accept(new Change.RouterChange(a.routerId())));
            return created;
        }));
    }

    @Override
    public Page<FloatingIp> list(AuthContext caller, ListRequest request) {
        return context.tx().read(h -> context.listing().page(h, Definitions.FLOATINGIP, "f", request,
                FloatingIpStore.scope(StandardAttributes.listScope(context.policy(), caller)), store::select,
                f -> context.policy().allows("get_floatingip", caller, f.target())));
    }

    @Override
    public FloatingIp show(AuthContext caller, String id) {
        return context.tx().read(h -> visible(caller, id, store.find(h, id)));
    }

    @Override
    public FloatingIp update(AuthContext caller, String id, ObjectNode body, Optional<String> ifMatch) {
        return decidedByKeys(() -> context.tx().inTransaction((h, changes) -> {
            FloatingIp floatingIp = visible(caller, id, store.findForUpdate(h, id));
            Request request = Definitions.FLOATINGIP.forUpdate(body, floatingIp);
            Fields fields = request.fields();
            context.policy().enforce("update_floatingip", caller, floatingIp.target());
            StandardAttributes.checkRevision(ifMatch, floatingIp.revisionNumber());
            request.enforceAttributes(context.policy(), caller, floatingIp.target());
            Optional<FloatingIp.Association> association = floatingIp.association();
            Optional<Optional<String>> portId = fields.nullableString("port_id", 36);
            if (portId.isPresent()) {
                association = portId.get().isEmpty() ? Optional.empty()
                        : Optional.of(associate(h, caller, id, floatingIp.floatingNetworkId(), floatingIp.projectId(),
                        portId.get().get(), fields.string("fixed_ip_address", 64)));
            }
            FloatingIp changed = floatingIp.changed(StandardAttributes.text(fields, "description")
                    .orElse(floatingIp.description()), association, NetworkStore.now(context.clock()));
            store.update(h, changed);
            floatingIp.association().ifPresent(a -> changes.accept(new Change.RouterChange(a.routerId())));
            changed.association().ifPresent(a -> changes.accept(new Change.RouterChange(a.routerId())));
            return changed;
        }));
    }

    @Override
    public void delete(AuthContext caller, String id, Optional<String> ifMatch) {
        context.tx().inTransaction((h, changes) -> {
            FloatingIp floatingIp = visible(caller, id, store.findForUpdate(h, id));
            context.policy().enforce("delete_floatingip", caller, floatingIp.target());
            StandardAttributes.checkRevision(ifMatch, floatingIp.revisionNumber());
            context.tags().replace(h, id, List.of());
            store.delete(h, id);
            ports.deleteOwned(h, changes, floatingIp.floatingPortId());
            floatingIp.association().ifPresent(a -> changes.accept(new Change.RouterChange(a.routerId())));
            return id;
        });
    }

    /** Tags of a floating IP: seen by whoever sees it, changed by whoever may update it. */
    public void authorizeTags(Handle h, AuthContext caller, String id, boolean change) {
        FloatingIp floatingIp = visible(caller, id, store.find(h, id));
        if (change) {
            context.policy().enforce("update_floatingip", caller, floatingIp.target());
        }
    }

    // Which fixed address of the port, through which router (neutron/db/l3_db.py _get_assoc_data); the
    // floating IP's own association (it may be associated again with what it has) does not count.
    private FloatingIp.Association associate(Handle h, AuthContext caller, String floatingIpId, String floatingNetworkId,
                                             String project, String portId, Optional<String> fixedIp) {
        Port port = ports.visibleForUpdate(h, caller, StandardAttributes.uuid("port_id", portId));
        if (!port.projectId().equals(project) && !context.policy().allows("context_is_admin", caller, Map.of())) {
            throw badRequest("Cannot create floating IP and bind it to Port " + portId
                    + ", since that port is owned by a different tenant");
        }
        if (port.isL3()) {
            throw badRequest("Port " + portId + " has owner " + port.deviceOwner()
                    + " and therefore cannot be associated with a floating IP");
        }
        List<FixedIp> ipv4 = port.fixedIps().stream().filter(ip -> !ip.ipAddress().contains(":")).toList();
        if (ipv4.isEmpty()) {
            throw badRequest("Cannot add floating IP to port " + portId + " that has no fixed IPv4 addresses");
        }
        FixedIp chosen;
        if (fixedIp.isPresent()) {
            chosen = ipv4.stream().filter(ip -> ip.ipAddress().equals(fixedIp.get())).findFirst().orElseThrow(() ->
                    badRequest("Port " + portId + " does not have fixed ip " + fixedIp.get()));
        } else if (ipv4.size() > 1) {
            throw badRequest("Port " + portId + " has multiple fixed IPv4 addresses. Must provide a specific IPv4"
                    + " address when assigning a floating IP");
        } else {
            chosen = ipv4.getFirst();
        }
        store.associatedWith(h, floatingNetworkId, port.id(), chosen.ipAddress())
                .filter(other -> !other.id().equals(floatingIpId)).ifPresent(other -> {
            throw new ApiException(409, "FloatingIPPortAlreadyAssociated", "Cannot associate floating IP "
                    + other.floatingIpAddress() + " (" + other.id() + ") with port " + port.id() + " using fixed IP "
                    + chosen.ipAddress() + ", as that fixed IP already has a floating IP on external network "
                    + floatingNetworkId + ".");
        });
        String routerId = routers.routersBetween(h, floatingNetworkId, chosen.subnetId()).stream().findFirst()
                .orElseThrow(() -> new ApiException(404, "ExternalGatewayForFloatingIPNotFound", "External network "
                        + floatingNetworkId + " is not reachable from subnet " + chosen.subnetId()
                        + ".  Therefore, cannot associate Port " + portId + " with a Floating IP."));
        return new FloatingIp.Association(port.id(), chosen.ipAddress(), routerId);
    }

    private static ApiException badRequest(String why) {
        return new ApiException(400, "BadRequest", "Bad floatingip request: " + why + ".");
    }

    private FloatingIp visible(AuthContext caller, String id, Optional<FloatingIp> found) {
        return found.filter(f -> context.policy().allows("get_floatingip", caller, f.target()))
                .orElseThrow(() -> new ApiException(404, "FloatingIPNotFound", "Floating IP " + id
                        + " could not be found"));
    }

    // The unique key on (external network, port, fixed address) decides two associations at once.
    private static FloatingIp decidedByKeys(java.util.function.Supplier<FloatingIp> work) {
        try {
            return work.get();
        } catch (UnableToExecuteStatementException e) {
            if (Constraints.isUniqueViolation(e)
                    && String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT).contains("floatingip_fixed")) {
                throw new ApiException(409, "FloatingIPPortAlreadyAssociated", "Cannot associate floating IP with"
                        + " a fixed IP that already has a floating IP on the same external network.");
            }
            throw e;
        }
    }
}
