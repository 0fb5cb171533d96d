package dev.portside.network.l3;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portside.common.auth.AuthContext;
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
import dev.portside.network.net.Network;
import dev.portside.network.net.NetworkStore;
import dev.portside.network.port.AddressRequest;
import dev.portside.network.port.FixedIp;
import dev.portside.network.port.Port;
import dev.portside.network.port.PortService;
import dev.portside.network.port.PortStore;
import dev.portside.network.subnet.Subnet;
import dev.portside.network.subnet.SubnetService;
import dev.portside.network.subnet.SubnetStore;
import org.jdbi.v3.core.Handle;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Routers (Neutron's router, ext-gw-mode, extraroute and extraroute-atomic extensions): their
 * interfaces, each a port holding an address (normally the gateway) of one of its subnets, their
 * gateway port on an external network, SNAT, and extra routes. Each change tells the router's
 * dataplane through a {@link Change.RouterChange} once committed.
 */
public final class RouterService implements ResourceService<Router> {
    private static final Set<String> GATEWAY_KEYS = Set.of("network_id", "enable_snat", "external_fixed_ips");

    private final ServiceContext context;
    private final RouterStore routers;
    private final FloatingIpStore floatingIps;
    private final NetworkStore networks;
    private final SubnetStore subnetStore;
    private final SubnetService subnets;
    private final PortStore portStore;
    private final PortService ports;

    public RouterService(ServiceContext context, RouterStore routers, FloatingIpStore floatingIps, NetworkStore networks,
                         SubnetStore subnetStore, SubnetService subnets, PortStore portStore, PortService ports) {
        this.context = context;
        this.routers = routers;
        this.floatingIps = floatingIps;
        this.networks = networks;
        this.subnetStore = subnetStore;
        this.subnets = subnets;
        this.portStore = portStore;
        this.ports = ports;
    }

    /** What add_router_interface and remove_router_interface answer. */
    public record InterfaceInfo(String routerId, String projectId, String portId, String networkId,
                                List<String> subnetIds) {
    }

    // external_gateway_info as asked: the network, and SNAT and addresses if named.
    private record GatewayRequest(String networkId, Optional<Boolean> enableSnat,
                                  Optional<List<AddressRequest>> externalFixedIps) {
    }

    @Override
    public ResourceDefinition<Router> definition() {
        return Definitions.ROUTER;
    }

    @Override
    public Router create(AuthContext caller, Request request) {
        Fields fields = request.fields();
        String project = StandardAttributes.owner(fields, caller, context.policy());
        Optional<Optional<GatewayRequest>> gateway = gatewayRequest(fields);
        var target = java.util.Map.of("project_id", project);
        context.policy().enforce("create_router", caller, target);
        request.enforceAttributes(context.policy(), caller, target);
        gateway.flatMap(g -> g).ifPresent(g -> enforceGateway("create_router", caller, target, g));
        return context.tx().inTransaction((h, changes) -> {
            context.quotas().claim(h, project, "router", 1);
            var now = NetworkStore.now(context.clock());
            Router router = new Router(StandardAttributes.newId(), project, StandardAttributes.text(fields, "name")
                    .orElseThrow(), StandardAttributes.text(fields, "description").orElseThrow(),
                    fields.bool("admin_state_up").orElseThrow(), Router.ACTIVE, Optional.empty(), List.of(), now, now, 1);
            routers.insert(h, router);
            if (gateway.flatMap(g -> g).isPresent()) {
                Optional<Router.Gateway> set = gateway(h, changes, router, gateway.get().get());
                router = new Router(router.id(), project, router.name(), router.description(), router.adminStateUp(),
                        router.status(), set, List.of(), now, now, 1);
                routers.update(h, router);
            }
            changes.accept(new Change.RouterChange(router.id()));
            return routers.find(h, router.id()).orElseThrow();
        });
    }

    @Override
    public Page<Router> list(AuthContext caller, ListRequest request) {
        return context.tx().read(h -> context.listing().page(h, Definitions.ROUTER, "r", request,
                RouterStore.scope(StandardAttributes.listScope(context.policy(), caller)), routers::select,
                r -> context.policy().allows("get_router", caller, r.target())));
    }

    @Override
    public Router show(AuthContext caller, String id) {
        return context.tx().read(h -> visible(caller, id, routers.find(h, id)));
    }

    @Override
    public Router update(AuthContext caller, String id, ObjectNode body, Optional<String> ifMatch) {
        return context.tx().inTransaction((h, changes) -> {
            Router router = visible(caller, id, routers.findForUpdate(h, id));
            Request request = Definitions.ROUTER.forUpdate(body, router);
            Fields fields = request.fields();
            Optional<Optional<GatewayRequest>> gateway = gatewayRequest(fields);
            context.policy().enforce("update_router", caller, router.target());
            StandardAttributes.checkRevision(ifMatch, router.revisionNumber());
            request.enforceAttributes(context.policy(), caller, router.target());
            gateway.flatMap(g -> g).ifPresent(g -> enforceGateway("update_router", caller, router.target(), g));
            Optional<Router.Gateway> newGateway = gateway.isEmpty() ? router.gateway()
                    : gateway.get().isPresent() ? gateway(h, changes, router, gateway.get().get())
                    : removeGateway(h, changes, router);
            List<Router.Route> routes = fields.has("routes") ? List.of() : router.routes();
            // "routes": null clears them, as Neutron reads it.
            if (fields.has("routes") && !fields.node().get("routes").isNull()) {
                routes = fields.objects("routes", Set.of("destination", "nexthop"))
                        .map(asked -> RouterRules.check(RouterRules.parse(asked), subnetsOn(h, router.id(), newGateway),
                                ownAddresses(h, router.id(), newGateway)))
                        .orElse(List.of());
            }
            Router changed = router.changed(StandardAttributes.text(fields, "name").orElse(router.name()),
                    StandardAttributes.text(fields, "description").orElse(router.description()),
                    fields.bool("admin_state_up").orElse(router.adminStateUp()), newGateway, routes,
                    NetworkStore.now(context.clock()));
            routers.update(h, changed);
            changes.accept(new Change.RouterChange(id));
            return routers.find(h, id).orElseThrow();
        });
    }

    @Override
    public void delete(AuthContext caller, String id, Optional<String> ifMatch) {
        context.tx().inTransaction((h, changes) -> {
            Router router = visible(caller, id, routers.findForUpdate(h, id));
            context.policy().enforce("delete_router", caller, router.target());
            StandardAttributes.checkRevision(ifMatch, router.revisionNumber());
            if (!routers.interfaces(h, id).isEmpty()) {
                throw new ApiException(409, "RouterInUse", "Router " + id + " still has ports");
            }
            context.tags().replace(h, id, List.of());
            routers.update(h, router.changed(router.name(), router.description(), router.adminStateUp(),
                    Optional.empty(), List.of(), NetworkStore.now(context.clock())));
            router.gateway().ifPresent(g -> ports.deleteOwned(h, changes, g.portId()));
            routers.delete(h, id);
            changes.accept(new Change.RouterChange(id));
            return id;
        });
    }

    /** PUT /v2.0/routers/{id}/add_router_interface: a subnet (through a new port on its gateway) or a port joins. */
    public InterfaceInfo addInterface(AuthContext caller, String id, JsonNode body) {
        InterfaceRequest asked = InterfaceRequest.of(body, true);
        return context.tx().inTransaction((h, changes) -> {
            Router router = visible(caller, id, routers.findForUpdate(h, id));
            context.policy().enforce("add_router_interface", caller, router.target());
            List<Subnet> onRouter = subnetsOn(h, id, router.gateway());
            Port port;
            if (asked.portId().isPresent()) {
                port = ports.visibleForUpdate(h, caller, asked.portId().get());
                if (!port.deviceId().isEmpty()) {
                    throw new ApiException(409, "PortInUse", "Unable to complete operation on port " + port.id()
                            + " for network " + port.networkId() + ". Port already has an attached device "
                            + port.deviceId() + ".");
                }
                // An unaddressed port carries what is not addressed to it: there is nothing for a router to hold.
                if (port.fixedIps().isEmpty()) {
                    throw RouterRules.badRequest("Router port must have at least one fixed IP");
                }
                List<Subnet> joining = port.fixedIps().stream().map(FixedIp::subnetId).distinct()
                        .map(s -> subnetStore.find(h, s).orElseThrow()).toList();
                if (joining.stream().filter(s -> s.ipVersion() == 4).count() > 1) {
                    throw RouterRules.badRequest("Cannot have multiple IPv4 subnets on router port");
                }
                joining.forEach(s -> RouterRules.checkJoining(s, onRouter));
                port = ports.ownedBy(h, changes, port, Port.ROUTER_INTERFACE, id);
            } else {
                Subnet subnet = subnets.show(caller, asked.subnetId().orElseThrow());
                if (subnet.gatewayIp().isEmpty()) {
                    throw RouterRules.badRequest("Subnet for router interface must have a gateway IP");
                }
                RouterRules.checkJoining(subnet, onRouter);
                port = ports.createOwned(h, changes, subnet.networkId(), router.projectId(), Port.ROUTER_INTERFACE, id,
                        Optional.of(List.of(new AddressRequest(Optional.of(subnet.id()), subnet.gatewayIp()))));
            }
            routers.addInterface(h, id, port.id());
            changes.accept(new Change.RouterChange(id));
            return info(router, port);
        });
    }

    /** PUT /v2.0/routers/{id}/remove_router_interface: the interface on a subnet, or a port, leaves and is deleted. */
    public InterfaceInfo removeInterface(AuthContext caller, String id, JsonNode body) {
        InterfaceRequest asked = InterfaceRequest.of(body, false);
        return context.tx().inTransaction((h, changes) -> {
            Router router = visible(caller, id, routers.findForUpdate(h, id));
            context.policy().enforce("remove_router_interface", caller, router.target());
            List<Port> interfaces = routers.interfaces(h, id).stream()
                    .map(p -> portStore.findForUpdate(h, p).orElseThrow()).toList();
            Port port;
            List<String> leaving;
            if (asked.portId().isPresent()) {
                String portId = asked.portId().get();
                port = interfaces.stream().filter(p -> p.id().equals(portId)).findFirst().orElseThrow(() ->
                        new ApiException(404, "RouterInterfaceNotFound", "Router " + id
                                + " does not have an interface with id " + portId));
                leaving = port.fixedIps().stream().map(FixedIp::subnetId).distinct().toList();
            } else {
                String subnetId = asked.subnetId().orElseThrow();
                port = interfaces.stream().filter(p -> p.fixedIps().stream().anyMatch(ip -> ip.subnetId().equals(subnetId)))
                        .findFirst().orElseThrow(() -> new ApiException(404, "RouterInterfaceNotFoundForSubnet",
                                "Router " + id + " has no interface on subnet " + subnetId));
                leaving = List.of(subnetId);
            }
            for (String subnetId : leaving) {
                checkLeaving(h, router, subnetStore.find(h, subnetId).orElseThrow());
            }
            boolean whole = port.fixedIps().stream().allMatch(ip -> leaving.contains(ip.subnetId()));
            InterfaceInfo info = new InterfaceInfo(id, router.projectId(), port.id(), port.networkId(), leaving);
            if (whole) {
                routers.removeInterface(h, port.id());
                ports.deleteOwned(h, changes, port.id());
            } else {
                ports.removeAddressesOn(h, changes, port, leaving.getFirst());
            }
            changes.accept(new Change.RouterChange(id));
            return info;
        });
    }

    /** PUT /v2.0/routers/{id}/add_extraroutes (extraroute-atomic): these routes join the router's. */
    public Router addExtraRoutes(AuthContext caller, String id, JsonNode body) {
        return changeRoutes(caller, id, body, "add_extraroutes", true);
    }

    /** PUT /v2.0/routers/{id}/remove_extraroutes: these routes leave; routes it does not have are ignored. */
    public Router removeExtraRoutes(AuthContext caller, String id, JsonNode body) {
        return changeRoutes(caller, id, body, "remove_extraroutes", false);
    }

    /** Tags of a router: seen by whoever sees it, changed by whoever may update it. */
    public void authorizeTags(Handle h, AuthContext caller, String id, boolean change) {
        Router router = visible(caller, id, routers.find(h, id));
        if (change) {
            context.policy().enforce("update_router", caller, router.target());
        }
    }

    private Router changeRoutes(AuthContext caller, String id, JsonNode body, String action, boolean add) {
        Fields fields = Fields.wrapped(body != null && body.isObject() ? (ObjectNode) body
                : dev.portside.common.json.Json.object(), "router", Set.of("routes"));
        List<Fields> asked = fields.objects("routes", Set.of("destination", "nexthop")).orElseThrow(() ->
                NeutronErrors.invalidInput("routes are required"));
        return context.tx().inTransaction((h, changes) -> {
            Router router = visible(caller, id, routers.findForUpdate(h, id));
            context.policy().enforce(action, caller, router.target());
            List<Subnet> onRouter = subnetsOn(h, id, router.gateway());
            List<FixedIp> own = ownAddresses(h, id, router.gateway());
            Set<Router.Route> routes = new LinkedHashSet<>(router.routes());
            List<Router.Route> named = RouterRules.parse(asked);
            if (add) {
                routes.addAll(named);
            } else {
                named.forEach(routes::remove);
            }
            List<Router.Route> all = add ? RouterRules.check(routes, onRouter, own) : List.copyOf(routes);
            Router changed = router.changed(router.name(), router.description(), router.adminStateUp(), router.gateway(),
                    all, NetworkStore.now(context.clock()));
            routers.update(h, changed);
            changes.accept(new Change.RouterChange(id));
            return routers.find(h, id).orElseThrow();
        });
    }

    // A subnet leaves the router only if no floating IP and no extra route needs it.
    private void checkLeaving(Handle h, Router router, Subnet subnet) {
        if (floatingIps.anyThrough(h, router.id(), subnet.id())) {
            throw new ApiException(409, "RouterInterfaceInUseByFloatingIP", "Router interface for subnet "
                    + subnet.id() + " on router " + router.id() + " cannot be deleted, as it is required by one or more"
                    + " floating IPs.");
        }
        if (router.routes().stream().anyMatch(r -> RouterRules.reachedThrough(r, subnet))) {
            throw new ApiException(409, "RouterInterfaceInUseByRoute", "Router interface for subnet " + subnet.id()
                    + " on router " + router.id() + " cannot be deleted, as it is required by one or more routes.");
        }
    }

    // Sets the gateway: keeps the port when only SNAT changes, else a new port on the (new) external network.
    private Optional<Router.Gateway> gateway(Handle h, Consumer<Change> changes, Router router, GatewayRequest asked) {
        Network network = networks.find(h, asked.networkId())
                .orElseThrow(() -> NeutronErrors.networkNotFound(asked.networkId()));
        if (!network.routerExternal()) {
            throw RouterRules.badRequest("Network " + network.id() + " is not an external network");
        }
        Optional<Router.Gateway> current = router.gateway();
        boolean enableSnat = asked.enableSnat().orElse(current.map(Router.Gateway::enableSnat).orElse(true));
        if (current.isPresent() && current.get().networkId().equals(network.id())
                && asked.externalFixedIps().isEmpty()) {
            return Optional.of(new Router.Gateway(network.id(), current.get().portId(), enableSnat,
                    current.get().externalFixedIps()));
        }
        removeGateway(h, changes, router);
        Port port = ports.createOwned(h, changes, network.id(), "", Port.ROUTER_GATEWAY, router.id(),
                asked.externalFixedIps());
        if (port.fixedIps().isEmpty()) {
            throw RouterRules.badRequest("No IPs available for external network " + network.id());
        }
        // The row names its gateway port before the old one is gone from the database's view of it.
        return Optional.of(new Router.Gateway(network.id(), port.id(), enableSnat, port.fixedIps()));
    }

    private Optional<Router.Gateway> removeGateway(Handle h, Consumer<Change> changes, Router router) {
        if (router.gateway().isEmpty()) {
            return Optional.empty();
        }
        Router.Gateway gateway = router.gateway().get();
        if (floatingIps.anyThroughRouter(h, router.id())) {
            throw new ApiException(409, "RouterExternalGatewayInUseByFloatingIp", "Gateway cannot be updated for router "
                    + router.id() + ", since a gateway to external network " + gateway.networkId()
                    + " is required by one or more floating IPs.");
        }
        // The router row lets go of the port first: the key from router to port would hold it.
        routers.update(h, router.changed(router.name(), router.description(), router.adminStateUp(), Optional.empty(),
                router.routes(), router.updatedAt()));
        ports.deleteOwned(h, changes, gateway.portId());
        return Optional.empty();
    }

    // The subnets a router is on: its interfaces' and its gateway's.
    private List<Subnet> subnetsOn(Handle h, String routerId, Optional<Router.Gateway> gateway) {
        List<String> ids = new ArrayList<>();
        for (String portId : routers.interfaces(h, routerId)) {
            portStore.find(h, portId).ifPresent(p -> p.fixedIps().forEach(ip -> ids.add(ip.subnetId())));
        }
        gateway.ifPresent(g -> g.externalFixedIps().forEach(ip -> ids.add(ip.subnetId())));
        return ids.stream().distinct().map(id -> subnetStore.find(h, id)).flatMap(Optional::stream).toList();
    }

    private List<FixedIp> ownAddresses(Handle h, String routerId, Optional<Router.Gateway> gateway) {
        List<FixedIp> own = new ArrayList<>();
        for (String portId : routers.interfaces(h, routerId)) {
            portStore.find(h, portId).ifPresent(p -> own.addAll(p.fixedIps()));
        }
        gateway.ifPresent(g -> own.addAll(g.externalFixedIps()));
        return own;
    }

    private void enforceGateway(String action, AuthContext caller, java.util.Map<String, String> target,
                                GatewayRequest asked) {
        if (asked.enableSnat().isPresent()) {
            context.policy().enforce(action + ":external_gateway_info:enable_snat", caller, target);
        }
        if (asked.externalFixedIps().isPresent()) {
            context.policy().enforce(action + ":external_gateway_info:external_fixed_ips", caller, target);
        }
    }

    // external_gateway_info: absent (no change), null or {} (no gateway), or a gateway.
    private static Optional<Optional<GatewayRequest>> gatewayRequest(Fields fields) {
        JsonNode value = fields.node().get("external_gateway_info");
        if (value == null) {
            return Optional.empty();
        }
        if (value.isNull() || (value.isObject() && value.isEmpty())) {
            return Optional.of(Optional.empty());
        }
        Fields gateway = fields.object("external_gateway_info", GATEWAY_KEYS).orElseThrow();
        String networkId = StandardAttributes.uuid("external_gateway_info", gateway.requiredString("network_id", 36));
        Optional<List<AddressRequest>> fixedIps = gateway.objects("external_fixed_ips", Set.of("subnet_id", "ip_address"))
                .map(list -> list.stream().map(ip -> new AddressRequest(ip.string("subnet_id", 36),
                        ip.string("ip_address", 64))).toList());
        return Optional.of(Optional.of(new GatewayRequest(networkId, gateway.bool("enable_snat"), fixedIps)));
    }

    private InterfaceInfo info(Router router, Port port) {
        return new InterfaceInfo(router.id(), router.projectId(), port.id(), port.networkId(),
                port.fixedIps().stream().map(FixedIp::subnetId).distinct().toList());
    }

    private Router visible(AuthContext caller, String id, Optional<Router> found) {
        return found.filter(r -> context.policy().allows("get_router", caller, r.target()))
                .orElseThrow(() -> RouterRules.notFound(id));
    }

    /** An interface named by subnet or by port, as add_router_interface and remove_router_interface take it. */
    private record InterfaceRequest(Optional<String> subnetId, Optional<String> portId) {
        static InterfaceRequest of(JsonNode body, boolean adding) {
            if (body == null || !body.isObject()) {
                throw RouterRules.badRequest("Either subnet_id or port_id must be specified");
            }
            Fields fields = Fields.of((ObjectNode) body, "", Set.of("subnet_id", "port_id"));
            Optional<String> subnet = fields.string("subnet_id", 36).map(s -> StandardAttributes.uuid("subnet_id", s));
            Optional<String> port = fields.string("port_id", 36).map(p -> StandardAttributes.uuid("port_id", p));
            if (subnet.isEmpty() && port.isEmpty()) {
                throw RouterRules.badRequest("Either subnet_id or port_id must be specified");
            }
            if (adding && subnet.isPresent() && port.isPresent()) {
                throw RouterRules.badRequest("Cannot specify both subnet-id and port-id");
            }
            return new InterfaceRequest(port.isPresent() ? Optional.empty() : subnet, port);
        }
    }
}
