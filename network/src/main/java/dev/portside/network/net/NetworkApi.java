package dev.portside.network.net;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portside.common.auth.AuthContext;
import dev.portside.common.http.ApiException;
import dev.portside.common.http.Requests;
import dev.portside.common.json.Fields;
import dev.portside.common.json.Json;
import dev.portside.common.policy.Policy;
import dev.portside.network.quota.NetworkQuotas;
import dev.portside.network.InertAttributes;
import dev.portside.network.ListQuery;
import dev.portside.network.NeutronErrors;
import dev.portside.network.StandardAttributes;
import dev.portside.network.Tags;
import dev.portside.network.subnet.Subnet;
import dev.portside.network.subnet.SubnetStore;
import io.javalin.http.Context;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** {@code /v2.0/networks}. */
public final class NetworkApi {
    private static final Set<String> CREATE = Set.of("name", "description", "admin_state_up", "shared", "mtu",
            "port_security_enabled", "tenant_id", "project_id");
    private static final Set<String> UPDATE = Set.of("name", "description", "admin_state_up", "shared", "mtu",
            "port_security_enabled");

    private final Jdbi jdbi;
    private final NetworkStore networks;
    private final SubnetStore subnets;
    private final Policy policy;
    private final Clock clock;
    private final int defaultMtu;
    private final String baseUrl;
    private final Tags tags;

    public NetworkApi(Jdbi jdbi, NetworkStore networks, SubnetStore subnets, Tags tags, Policy policy, Clock clock,
                      int defaultMtu, String baseUrl, NetworkQuotas quotas) {
        this.quotas = quotas;
        this.tags = tags;
        this.jdbi = jdbi;
        this.networks = networks;
        this.subnets = subnets;
        this.policy = policy;
        this.clock = clock;
        this.defaultMtu = defaultMtu;
        this.baseUrl = baseUrl;
    }

    private final NetworkQuotas quotas;

    public void create(Context ctx) {
        AuthContext caller = Requests.auth(ctx);
        Fields fields = Fields.wrapped(InertAttributes.strip(Requests.jsonBody(ctx), "network"), "network", CREATE);
        String project = StandardAttributes.owner(fields, caller, policy);
        boolean shared = fields.bool("shared").orElse(false);
        Instant now = NetworkStore.now(clock);
        Network network = new Network(StandardAttributes.newId(), project, StandardAttributes.text(fields, "name").orElse(""),
                StandardAttributes.text(fields, "description").orElse(""), fields.bool("admin_state_up").orElse(true),
                shared, mtu(fields).orElse(defaultMtu), fields.bool("port_security_enabled").orElse(true), now, now, 1);
        policy.enforce("create_network", caller, network.target());
        if (shared) {
            policy.enforce("create_network:shared", caller, network.target());
        }
        jdbi.useTransaction(h -> {
            quotas.claim(h, project, "network", 1);
            networks.insert(h, network);
        });
        Requests.respond(ctx, 201, Json.object().set("network", render(network, List.of())));
    }

    public void list(Context ctx) {
        ListQuery query = ListQuery.of(ctx);
        Requests.respond(ctx, 200, query.respond("networks", list(Requests.auth(ctx)), baseUrl + "/v2.0/networks"));
    }

    /** Every network {@code caller} may see, as shown, before any query filters. */
    public List<ObjectNode> list(AuthContext caller) {
        return jdbi.withHandle(h -> {
            List<Network> visible = networks.visible(h, StandardAttributes.listScope(policy, caller)).stream()
                    .filter(n -> policy.allows("get_network", caller, n.target())).toList();
            Map<String, List<String>> subnetIds = subnets.idsByNetwork(h);
            return tags.fill(h, visible.stream().map(n -> render(n, subnetIds.getOrDefault(n.id(), List.of()))).toList());
        });
    }

    public void show(Context ctx) {
        ObjectNode json = show(Requests.auth(ctx), ctx.pathParam("network_id"));
        Requests.respond(ctx, 200, Json.object().set("network", ListQuery.of(ctx).select(json)));
    }

    public ObjectNode show(AuthContext caller, String id) {
        return jdbi.withHandle(h -> {
            Network network = visible(h, caller, id, networks.find(h, id));
            return tags.fill(h, render(network, subnets.ofNetwork(h, id).stream().map(Subnet::id).toList()));
        });
    }

    public void update(Context ctx) {
        AuthContext caller = Requests.auth(ctx);
        String id = ctx.pathParam("network_id");
        Fields fields = Fields.wrapped(InertAttributes.strip(Requests.jsonBody(ctx), "network"), "network", UPDATE);
        ObjectNode json = jdbi.inTransaction(h -> {
            Network network = visible(h, caller, id, networks.lock(h, id));
            policy.enforce("update_network", caller, network.target());
            StandardAttributes.checkRevision(ctx, network.revisionNumber());
            if (fields.has("shared")) {
                policy.enforce("update_network:shared", caller, network.target());
            }
            Network changed = new Network(id, network.projectId(),
                    StandardAttributes.text(fields, "name").orElse(network.name()),
                    StandardAttributes.text(fields, "description").orElse(network.description()),
                    fields.bool("admin_state_up").orElse(network.adminStateUp()),
                    fields.bool("shared").orElse(network.shared()), mtu(fields).orElse(network.mtu()),
                    fields.bool("port_security_enabled").orElse(network.portSecurityEnabled()),
                    network.createdAt(), NetworkStore.now(clock), network.revisionNumber() + 1);
            networks.update(h, changed);
            return tags.fill(h, render(changed, subnets.ofNetwork(h, id).stream().map(Subnet::id).toList()));
        });
        Requests.respond(ctx, 200, Json.object().set("network", json));
    }

    public void delete(Context ctx) {
        AuthContext caller = Requests.auth(ctx);
        String id = ctx.pathParam("network_id");
        jdbi.useTransaction(h -> {
            Network network = visible(h, caller, id, networks.lock(h, id));
            policy.enforce("delete_network", caller, network.target());
            StandardAttributes.checkRevision(ctx, network.revisionNumber());
            long ports = h.createQuery("SELECT COUNT(*) FROM network_port WHERE network_id = :id").bind("id", id)
                    .mapTo(Long.class).one();
            if (ports > 0) {
                throw new ApiException(409, "NetworkInUse", "Unable to complete operation on network " + id
                        + ". There are one or more ports still in use on the network.");
            }
            subnets.ofNetwork(h, id).forEach(s -> {
                tags.replace(h, s.id(), List.of());
                subnets.delete(h, s.id());
            });
            tags.replace(h, id, List.of());
            networks.delete(h, id);
        });
        ctx.status(204);
    }

    /** Tags of a network: seen by whoever sees it, changed by whoever may update it. */
    public void authorizeTags(Handle h, AuthContext caller, String id, boolean change) {
        Network network = visible(h, caller, id, networks.find(h, id));
        if (change) {
            policy.enforce("update_network", caller, network.target());
        }
    }

    /** The network if the caller may see it; otherwise "not found", so its existence is not revealed (as Neutron). */
    private Network visible(Handle h, AuthContext caller, String id, Optional<Network> found) {
        return found.filter(n -> policy.allows("get_network", caller, n.target()))
                .orElseThrow(() -> NeutronErrors.networkNotFound(id));
    }

    private static Optional<Integer> mtu(Fields fields) {
        Optional<Integer> mtu = fields.integer("mtu");
        mtu.ifPresent(value -> {
            if (value < 68 || value > 9000) {
                throw NeutronErrors.invalidAttribute("mtu", "'" + value + "' is not in range 68 through 9000");
            }
        });
        return mtu;
    }

    public static ObjectNode render(Network n, List<String> subnetIds) {
        ObjectNode json = Json.object()
                .put("id", n.id())
                .put("name", n.name())
                .put("admin_state_up", n.adminStateUp())
                .put("status", "ACTIVE")
                .put("shared", n.shared())
                .put("mtu", n.mtu())
                .put("port_security_enabled", n.portSecurityEnabled());
        ArrayNode subnets = json.putArray("subnets");
        subnetIds.forEach(subnets::add);
        StandardAttributes.render(json, n.projectId(), n.description(), n.createdAt(), n.updatedAt(), n.revisionNumber());
        return json;
    }
}
