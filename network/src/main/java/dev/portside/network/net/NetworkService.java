package dev.portside.network.net;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portside.common.auth.AuthContext;
import dev.portside.common.http.ApiException;
import dev.portside.common.json.Fields;
import dev.portside.common.paging.Page;
import dev.portside.network.NeutronErrors;
import dev.portside.network.StandardAttributes;
import dev.portside.network.Tags;
import dev.portside.network.api.Definitions;
import dev.portside.network.api.ListRequest;
import dev.portside.network.api.Request;
import dev.portside.network.api.ResourceDefinition;
import dev.portside.network.api.ResourceService;
import dev.portside.network.api.ServiceContext;
import dev.portside.network.port.PortStore;
import dev.portside.network.subnet.SubnetStore;
import org.jdbi.v3.core.Handle;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Networks: the L2 domains subnets and ports belong to. */
public final class NetworkService implements ResourceService<Network> {
    private final ServiceContext context;
    private final NetworkStore networks;
    private final SubnetStore subnets;
    private final PortStore ports;
    private final dev.portside.network.l3.RouterStore routers;
    // Neutron's VXLAN overhead over IPv4: outer IP (20), UDP (8), VXLAN (8) and inner Ethernet (14) headers.
    static final int VXLAN_OVERHEAD = 50;
    private final int defaultMtu;
    private final PhysicalNetworks physicalNetworks;

    public NetworkService(ServiceContext context, NetworkStore networks, SubnetStore subnets, PortStore ports,
                          dev.portside.network.l3.RouterStore routers, int defaultMtu, PhysicalNetworks physicalNetworks) {
        this.routers = routers;
        this.context = context;
        this.networks = networks;
        this.subnets = subnets;
        this.ports = ports;
        this.defaultMtu = defaultMtu;
        this.physicalNetworks = physicalNetworks;
    }

    @Override
    public ResourceDefinition<Network> definition() {
        return Definitions.NETWORK;
    }

    @Override
    public Network create(AuthContext caller, Request request) {
        Fields fields = request.fields();
        String project = StandardAttributes.owner(fields, caller, context.policy());
        Instant now = NetworkStore.now(context.clock());
        Network network = new Network(StandardAttributes.newId(), project, StandardAttributes.text(fields, "name").orElseThrow(),
                StandardAttributes.text(fields, "description").orElseThrow(), fields.bool("admin_state_up").orElseThrow(),
                fields.bool("shared").orElseThrow(), fields.bool("router:external").orElseThrow(),
                fields.integer("mtu").orElse(defaultMtu),
                fields.bool("port_security_enabled").orElseThrow(), List.of(), Segment.LOCAL_SEGMENT, now, now, 1);
        context.policy().enforce("create_network", caller, network.target());
        request.enforceAttributes(context.policy(), caller, network.target());
        Segment requested = physicalNetworks.requested(fields.string("provider:network_type", 16),
                fields.string("provider:physical_network", 64), segmentationId(fields));
        return context.tx().inTransaction((h, changes) -> {
            context.quotas().claim(h, project, "network", 1);
            Network made = withSegment(h, network, requested, fields.integer("mtu"));
            if (!networks.insert(h, made)) {
                // A VLAN picked for it was taken meanwhile: pick again; one it asked for is in use.
                throw requested.equals(made.segment()) ? segmentInUse(made.segment())
                        : new dev.portside.network.change.Transactions.Retry("VLAN " + made.segment().key().orElse(""));
            }
            return made;
        });
    }

    // Neutron converts the id to an integer: the CLI sends "200", SDKs 200.
    private static Optional<Integer> segmentationId(Fields fields) {
        com.fasterxml.jackson.databind.JsonNode value = fields.node().get("provider:segmentation_id");
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (value.isIntegralNumber() && value.canConvertToInt()) {
            return Optional.of(value.intValue());
        }
        if (value.isTextual() && value.asText().matches("-?[0-9]{1,9}")) {
            return Optional.of(Integer.parseInt(value.asText()));
        }
        throw NeutronErrors.invalidAttribute("provider:segmentation_id", "'" + value.asText() + "' is not an integer");
    }

    // A VLAN or VXLAN network given no segmentation id takes the lowest free in the configured ranges. A
    // VXLAN network's frames travel inside UDP on the hosts' own network: its MTU leaves room for that.
    private Network withSegment(Handle h, Network network, Segment requested, Optional<Integer> mtu) {
        Segment segment = requested;
        int maxMtu = maxMtu(requested);
        if (mtu.filter(m -> m > maxMtu).isPresent()) {
            throw NeutronErrors.invalidInput("Requested MTU is too big, maximum is " + maxMtu);
        }
        if (!requested.networkType().equals(Segment.LOCAL) && !requested.networkType().equals(Segment.FLAT)
                && requested.segmentationId().isEmpty()) {
            java.util.Set<String> used = networks.segmentKeys(h);
            segment = physicalNetworks.candidates(requested).stream().filter(s -> !used.contains(s.key().orElseThrow()))
                    .findFirst().orElseThrow(() -> new ApiException(503, "NoNetworkAvailable",
                            "Unable to create the network. No tenant network is available for allocation."));
        }
        return new Network(network.id(), network.projectId(), network.name(), network.description(),
                network.adminStateUp(), network.shared(), network.routerExternal(), mtu.orElse(maxMtu),
                network.portSecurityEnabled(), List.of(),
                segment, network.createdAt(), network.updatedAt(), network.revisionNumber());
    }

    private int maxMtu(Segment segment) {
        return segment.networkType().equals(Segment.VXLAN) ? defaultMtu - VXLAN_OVERHEAD : defaultMtu;
    }

    private static ApiException segmentInUse(Segment segment) {
        String physnet = segment.physicalNetwork().orElse("");
        if (segment.networkType().equals(Segment.VXLAN)) {
            return new ApiException(409, "TunnelIdInUse", "Unable to create the network. The tunnel ID "
                    + segment.segmentationId().orElse(0) + " is in use.");
        }
        return segment.networkType().equals(Segment.FLAT)
                ? new ApiException(409, "FlatNetworkInUse", "Unable to create the flat network. Physical network "
                        + physnet + " is in use.")
                : new ApiException(409, "VlanIdInUse", "Unable to create the network. The VLAN "
                        + segment.segmentationId().orElse(0) + " on physical network " + physnet + " is in use.");
    }

    @Override
    public Page<Network> list(AuthContext caller, ListRequest request) {
        return context.tx().read(h -> context.listing().page(h, Definitions.NETWORK, "n", request,
                NetworkStore.scope(StandardAttributes.listScope(context.policy(), caller)), networks::select,
                n -> context.policy().allows("get_network", caller, n.target())));
    }

    @Override
    public Network show(AuthContext caller, String id) {
        return context.tx().read(h -> visible(h, caller, id, networks.find(h, id)));
    }

    @Override
    public Network update(AuthContext caller, String id, ObjectNode body, Optional<String> ifMatch) {
        return context.tx().inTransaction((h, changes) -> {
            Network network = visible(h, caller, id, networks.lock(h, id));
            Request request = Definitions.NETWORK.forUpdate(body, network);
            Fields fields = request.fields();
            context.policy().enforce("update_network", caller, network.target());
            StandardAttributes.checkRevision(ifMatch, network.revisionNumber());
            request.enforceAttributes(context.policy(), caller, network.target());
            if (network.routerExternal() && !fields.bool("router:external").orElse(true) && routers.anyGatewayOn(h, id)) {
                throw new ApiException(409, "ExternalNetworkInUse", "External network " + id + " cannot be updated"
                        + " to be made non-external, since it has existing gateway ports.");
            }
            int maxMtu = maxMtu(network.segment());
            if (fields.integer("mtu").filter(m -> m > maxMtu).isPresent()) {
                throw NeutronErrors.invalidInput("Requested MTU is too big, maximum is " + maxMtu);
            }
            Network changed = new Network(id, network.projectId(),
                    StandardAttributes.text(fields, "name").orElse(network.name()),
                    StandardAttributes.text(fields, "description").orElse(network.description()),
                    fields.bool("admin_state_up").orElse(network.adminStateUp()),
                    fields.bool("shared").orElse(network.shared()),
                    fields.bool("router:external").orElse(network.routerExternal()),
                    fields.integer("mtu").orElse(network.mtu()),
                    fields.bool("port_security_enabled").orElse(network.portSecurityEnabled()), network.subnets(),
                    network.segment(), network.createdAt(), NetworkStore.now(context.clock()), network.revisionNumber() + 1);
            networks.update(h, changed);
            return changed;
        });
    }

    @Override
    public void delete(AuthContext caller, String id, Optional<String> ifMatch) {
        context.tx().inTransaction((h, changes) -> {
            Network network = visible(h, caller, id, networks.lock(h, id));
            context.policy().enforce("delete_network", caller, network.target());
            StandardAttributes.checkRevision(ifMatch, network.revisionNumber());
            if (ports.anyOnNetwork(h, id)) {
                throw new ApiException(409, "NetworkInUse", "Unable to complete operation on network " + id
                        + ". There are one or more ports still in use on the network.");
            }
            subnets.ofNetwork(h, id).forEach(s -> {
                context.tags().replace(h, s.id(), List.of());
                subnets.delete(h, s.id());
            });
            context.tags().replace(h, id, List.of());
            networks.delete(h, id);
            return id;
        });
    }

    /** Tags of a resource: seen by whoever sees it, changed by whoever may update it. */
    public void authorizeTags(Handle h, AuthContext caller, String id, boolean change) {
        Network network = visible(h, caller, id, networks.find(h, id));
        if (change) {
            context.policy().enforce("update_network", caller, network.target());
        }
    }

    /** The network if the caller may see it; otherwise "not found", so its existence is not revealed (as Neutron). */
    private Network visible(Handle h, AuthContext caller, String id, Optional<Network> found) {
        return found.filter(n -> context.policy().allows("get_network", caller, n.target()))
                .orElseThrow(() -> NeutronErrors.networkNotFound(id));
    }
}
