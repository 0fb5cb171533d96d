package dev.portside.network.port;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portside.common.auth.AuthContext;
import dev.portside.common.db.Constraints;
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
import dev.portside.network.binding.Binding;
import dev.portside.network.binding.BindingRequest;
import dev.portside.network.binding.PortBinder;
import dev.portside.network.binding.PortBinding;
import dev.portside.network.firewall.FirewallSync;
import dev.portside.network.ipam.Ipam;
import dev.portside.network.net.Network;
import dev.portside.network.net.NetworkStore;
import dev.portside.network.secgroup.SecurityGroups;
import dev.portside.network.subnet.Subnet;
import dev.portside.network.subnet.SubnetStore;
import io.javalin.http.Context;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** {@code /v2.0/ports}. */
public final class PortApi {
    private static final String HOST_ID = "binding:host_id";
    private static final String VNIC_TYPE = "binding:vnic_type";
    private static final String PROFILE = "binding:profile";
    private static final String ALLOWED_ETHERTYPES = "allowed_ethertypes";
    private static final Set<String> CREATE = Set.of("network_id", "name", "description", "admin_state_up", "mac_address",
            "fixed_ips", "device_id", "device_owner", "port_security_enabled", "tenant_id", "project_id",
            "security_groups", "allowed_address_pairs", ALLOWED_ETHERTYPES, HOST_ID, VNIC_TYPE, PROFILE);
    private static final Set<String> UPDATE = Set.of("name", "description", "admin_state_up", "fixed_ips", "device_id",
            "device_owner", "port_security_enabled", "security_groups", "allowed_address_pairs", ALLOWED_ETHERTYPES,
            HOST_ID, VNIC_TYPE, PROFILE);
    // The vNIC types Neutron's portbindings API definition accepts; the shipped drivers bind "normal" only.
    private static final Set<String> VNIC_TYPES = Set.of("normal", "direct", "direct-physical", "macvtap", "baremetal",
            "virtio-forwarder", "smart-nic", "vdpa", "remote-managed");
    private static final int MAC_ATTEMPTS = 16;

    private final Jdbi jdbi;
    private final PortStore ports;
    private final NetworkStore networks;
    private final SubnetStore subnets;
    private final PortAddresses addresses;
    private final MacAddresses macs;
    private final PortBinder binder;
    private final SecurityGroups securityGroups;
    private final Tags tags;
    private final Policy policy;
    private final Clock clock;
    private final String baseUrl;

    private final FirewallSync firewall;

    public PortApi(Jdbi jdbi, PortStore ports, NetworkStore networks, SubnetStore subnets, Ipam ipam, MacAddresses macs,
                   PortBinder binder, SecurityGroups securityGroups, Tags tags, Policy policy, Clock clock,
                   String baseUrl, FirewallSync firewall, NetworkQuotas quotas) {
        this.quotas = quotas;
        this.firewall = firewall;
        this.tags = tags;
        this.binder = binder;
        this.securityGroups = securityGroups;
        this.jdbi = jdbi;
        this.ports = ports;
        this.networks = networks;
        this.subnets = subnets;
        this.addresses = new PortAddresses(ipam, ports);
        this.macs = macs;
        this.policy = policy;
        this.clock = clock;
        this.baseUrl = baseUrl;
    }

    private final NetworkQuotas quotas;

    public void create(Context ctx) {
        Requests.respond(ctx, 201, Json.object().set("port", create(Requests.auth(ctx), Requests.jsonBody(ctx))));
    }

    /** Creates a port from a request body {"port": {...}} on behalf of {@code caller}; returns it as shown. */
    public ObjectNode create(AuthContext caller, ObjectNode body) {
        Fields fields = Fields.wrapped(InertAttributes.strip(body, "port"), "port", CREATE);
        String networkId = StandardAttributes.uuid("network_id", fields.requiredString("network_id", 36));
        String project = StandardAttributes.owner(fields, caller, policy);
        Optional<String> mac = fields.string("mac_address", 17).map(m -> MacAddresses.normalise("mac_address", m));
        Optional<List<PortAddresses.Request>> requested = fixedIps(fields);
        BindingChange asked = BindingChange.of(fields);
        Optional<List<String>> groupsAsked = groupIds(fields);
        Optional<List<AddressPair>> pairsAsked = pairs(fields);
        Optional<List<Integer>> ethertypesAsked = ethertypes(fields);
        Port port;
        try {
            port = jdbi.inTransaction(h -> {
                quotas.claim(h, project, "port", 1);
                Network network = networks.find(h, networkId)
                        .filter(n -> policy.allows("get_network", caller, n.target()))
                        .orElseThrow(() -> NeutronErrors.networkNotFound(networkId));
                // The new port's project is the caller's (or the admin's choice), not the network's: a member
                // of one project may make ports on another's shared network.
                Map<String, String> target = new HashMap<>(network.target());
                target.put("project_id", project);
                policy.enforce("create_port", caller, target);
                if (mac.isPresent()) {
                    policy.enforce("create_port:mac_address", caller, target);
                }
                if (requested.orElse(List.of()).stream().anyMatch(r -> r.ipAddress().isPresent())) {
                    policy.enforce("create_port:fixed_ips:ip_address", caller, target);
                }
                asked.enforce(policy, "create_port", caller, target);
                enforcePortSecurity(fields, "create_port", caller, target);
                String macAddress = mac.map(m -> {
                    if (ports.macInUse(h, networkId, m)) {
                        throw macInUse(networkId, m);
                    }
                    return m;
                }).orElseGet(() -> newMac(h, networkId));
                List<Subnet> onNetwork = subnets.ofNetwork(h, networkId);
                // The ip_allocation extension: an explicit empty fixed_ips asks for an unaddressed port.
                boolean unaddressed = requested.isPresent() && requested.get().isEmpty();
                List<FixedIp> ips = requested.isEmpty()
                        ? addresses.automatic(h, networkId, onNetwork, macAddress)
                        : addresses.requested(h, networkId, onNetwork, requested.get(), macAddress, List.of());
                Instant now = NetworkStore.now(clock);
                String portId = StandardAttributes.newId();
                PortBinding binding = applyBinding(PortBinding.NONE, asked, portId, networkId, !ips.isEmpty(), asked.host().isPresent());
                boolean portSecurity = fields.bool("port_security_enabled").orElse(network.portSecurityEnabled());
                groupsAsked.ifPresent(ids -> ids.forEach(id -> securityGroups.visible(h, caller, id)));
                List<String> groups = PortSecurityRules.groups(portSecurity, portSecurity && groupsAsked.isEmpty()
                        ? List.of(securityGroups.ensureDefault(h, project)) : List.of(), groupsAsked);
                List<AddressPair> addressPairs = PortSecurityRules.pairs(portSecurity,
                        PortSecurityRules.normalise(pairsAsked.orElse(List.of()), macAddress));
                List<Integer> ethertypes = PortSecurityRules.ethertypes(portSecurity, ethertypesAsked.orElse(List.of()));
                Port created = new Port(portId, networkId, project,
                        StandardAttributes.text(fields, "name").orElse(""),
                        StandardAttributes.text(fields, "description").orElse(""), macAddress,
                        fields.bool("admin_state_up").orElse(true), "DOWN", fields.string("device_id", 255).orElse(""),
                        fields.string("device_owner", 255).orElse(""), unaddressed ? Port.NONE : Port.IMMEDIATE,
                        portSecurity, ips, binding, groups, addressPairs, ethertypes, now, now, 1);
                ports.insert(h, created);
                ports.addSecurity(h, created);
                ips.forEach(ip -> ports.addAllocation(h, networkId, created.id(), ip));
                return created;
            });
        } catch (UnableToExecuteStatementException e) {
            throw conflictOr(e, networkId, mac);
        }
        firewall.sync();
        return render(port, showsBinding(caller));
    }

    public void list(Context ctx) {
        ListQuery query = ListQuery.of(ctx);
        Requests.respond(ctx, 200, query.respond("ports", list(Requests.auth(ctx)), baseUrl + "/v2.0/ports"));
    }

    /** Every port {@code caller} may see, as shown, before any query filters. */
    public List<ObjectNode> list(AuthContext caller) {
        return jdbi.withHandle(h -> {
            Map<String, Network> cache = new HashMap<>();
            return tags.fill(h, ports.visible(h, StandardAttributes.listScope(policy, caller)).stream()
                    .filter(p -> policy.allows("get_port", caller, target(h, p, cache)))
                    .map(p -> render(p, showsBinding(caller))).toList());
        });
    }

    public void show(Context ctx) {
        ObjectNode json = show(Requests.auth(ctx), ctx.pathParam("port_id"));
        Requests.respond(ctx, 200, Json.object().set("port", ListQuery.of(ctx).select(json)));
    }

    public ObjectNode show(AuthContext caller, String id) {
        return jdbi.withHandle(h -> tags.fill(h, render(visible(h, caller, id), showsBinding(caller))));
    }

    public void update(Context ctx) {
        ObjectNode updated = update(Requests.auth(ctx), ctx.pathParam("port_id"), Requests.jsonBody(ctx),
                Optional.ofNullable(ctx.header("If-Match")));
        Requests.respond(ctx, 200, Json.object().set("port", updated));
    }

    /** Applies {"port": {...}} to port {@code id}; {@code ifMatch} is the If-Match header, when sent. */
    public ObjectNode update(AuthContext caller, String id, ObjectNode requestBody, Optional<String> ifMatch) {
        ObjectNode body = InertAttributes.strip(requestBody, "port");
        Port updated;
        try {
            updated = jdbi.inTransaction(h -> {
                Port port = visibleForUpdate(h, caller, id);
                Fields fields = Fields.wrapped(InertAttributes.stripEchoes(body, "port", render(port, true), UPDATE),
                        "port", UPDATE);
                Optional<List<PortAddresses.Request>> requested = fixedIps(fields);
                BindingChange asked = BindingChange.of(fields);
                Optional<List<String>> groupsAsked = groupIds(fields);
                Optional<List<AddressPair>> pairsAsked = pairs(fields);
                Optional<List<Integer>> ethertypesAsked = ethertypes(fields);
                Map<String, String> target = target(h, port, new HashMap<>());
                policy.enforce("update_port", caller, target);
                StandardAttributes.checkRevision(ifMatch, port.revisionNumber());
                List<FixedIp> ips = port.fixedIps();
                if (requested.isPresent()) {
                    if (requested.get().stream().anyMatch(r -> r.ipAddress().isPresent())) {
                        policy.enforce("update_port:fixed_ips:ip_address", caller, target);
                    }
                    ips = changeAddresses(h, port, requested.get());
                }
                asked.enforce(policy, "update_port", caller, target);
                enforcePortSecurity(fields, "update_port", caller, target);
                // A bound port is bound again when its host, vNIC type or addresses change, as ML2 rebinds.
                boolean rebind = asked.any() || (requested.isPresent() && !ips.equals(port.fixedIps()));
                PortBinding binding = applyBinding(port.binding(), asked, id, port.networkId(), !ips.isEmpty(), rebind);
                boolean portSecurity = fields.bool("port_security_enabled").orElse(port.portSecurityEnabled());
                groupsAsked.ifPresent(ids -> ids.forEach(group -> securityGroups.visible(h, caller, group)));
                List<String> groups = PortSecurityRules.groups(portSecurity, port.securityGroups(), groupsAsked);
                List<AddressPair> addressPairs = PortSecurityRules.pairs(portSecurity, pairsAsked
                        .map(p -> PortSecurityRules.normalise(p, port.macAddress())).orElse(port.allowedAddressPairs()));
                List<Integer> ethertypes = PortSecurityRules.ethertypes(portSecurity,
                        ethertypesAsked.orElse(port.allowedEthertypes()));
                Port changed = new Port(id, port.networkId(), port.projectId(),
                        StandardAttributes.text(fields, "name").orElse(port.name()),
                        StandardAttributes.text(fields, "description").orElse(port.description()), port.macAddress(),
                        fields.bool("admin_state_up").orElse(port.adminStateUp()),
                        // A port bound anew is DOWN until the host's agent reports its device up.
                        binding.equals(port.binding()) ? port.status() : PortStatus.DOWN,
                        fields.string("device_id", 255).orElse(port.deviceId()),
                        fields.string("device_owner", 255).orElse(port.deviceOwner()),
                        // As Neutron: removing every address keeps "immediate"; only creation decides "none".
                        port.ipAllocation(),
                        portSecurity, ips, binding, groups, addressPairs, ethertypes, port.createdAt(),
                        NetworkStore.now(clock), port.revisionNumber() + 1);
                ports.update(h, changed);
                ports.replaceSecurity(h, changed);
                return changed;
            });
        } catch (UnableToExecuteStatementException e) {
            throw conflictOr(e, id, Optional.empty());
        }
        firewall.sync();
        return render(updated, showsBinding(caller));
    }

    public void delete(Context ctx) {
        delete(Requests.auth(ctx), ctx.pathParam("port_id"), Optional.ofNullable(ctx.header("If-Match")));
        ctx.status(204);
    }

    public void delete(AuthContext caller, String id, Optional<String> ifMatch) {
        jdbi.useTransaction(h -> {
            Port port = visibleForUpdate(h, caller, id);
            policy.enforce("delete_port", caller, target(h, port, new HashMap<>()));
            StandardAttributes.checkRevision(ifMatch, port.revisionNumber());
            Map<String, Subnet> bySubnet = subnetsById(h, port.networkId());
            for (FixedIp ip : port.fixedIps()) {
                ports.removeAllocation(h, port.networkId(), ip.ipAddress());
                addresses.release(h, bySubnet.get(ip.subnetId()), ip);
            }
            tags.replace(h, id, List.of());
            ports.delete(h, id);
        });
        firewall.sync();
    }

    private List<FixedIp> changeAddresses(Handle h, Port port, List<PortAddresses.Request> requested) {
        List<Subnet> onNetwork = subnets.ofNetwork(h, port.networkId());
        List<FixedIp> wanted = addresses.requested(h, port.networkId(), onNetwork, requested, port.macAddress(),
                port.fixedIps());
        Map<String, Subnet> bySubnet = subnetsById(h, port.networkId());
        for (FixedIp held : port.fixedIps()) {
            if (!wanted.contains(held)) {
                ports.removeAllocation(h, port.networkId(), held.ipAddress());
                addresses.release(h, bySubnet.get(held.subnetId()), held);
            }
        }
        for (FixedIp ip : wanted) {
            if (!port.fixedIps().contains(ip)) {
                ports.addAllocation(h, port.networkId(), port.id(), ip);
            }
        }
        return wanted;
    }

    private Map<String, Subnet> subnetsById(Handle h, String networkId) {
        Map<String, Subnet> byId = new HashMap<>();
        subnets.ofNetwork(h, networkId).forEach(s -> byId.put(s.id(), s));
        return byId;
    }

    private String newMac(Handle h, String networkId) {
        for (int attempt = 0; attempt < MAC_ATTEMPTS; attempt++) {
            String candidate = macs.generate();
            if (!ports.macInUse(h, networkId, candidate)) {
                return candidate;
            }
        }
        throw new ApiException(409, "MacAddressGenerationFailure", "Unable to generate unique mac on network " + networkId + ".");
    }

    /** Tags of a port: seen by whoever sees it, changed by whoever may update it. */
    public void authorizeTags(Handle h, AuthContext caller, String id, boolean change) {
        Port port = visible(h, caller, id);
        if (change) {
            policy.enforce("update_port", caller, target(h, port, new HashMap<>()));
        }
    }

    private Port visible(Handle h, AuthContext caller, String id) {
        return visible(h, caller, id, ports.find(h, id));
    }

    private Port visibleForUpdate(Handle h, AuthContext caller, String id) {
        return visible(h, caller, id, ports.findForUpdate(h, id));
    }

    private Port visible(Handle h, AuthContext caller, String id, Optional<Port> found) {
        return found.filter(p -> policy.allows("get_port", caller, target(h, p, new HashMap<>())))
                .orElseThrow(() -> NeutronErrors.portNotFound(id));
    }

    private Map<String, String> target(Handle h, Port port, Map<String, Network> cache) {
        return port.target(cache.computeIfAbsent(port.networkId(), id -> networks.find(h, id).orElseThrow()).target());
    }

    private static Optional<List<PortAddresses.Request>> fixedIps(Fields fields) {
        return fields.objects("fixed_ips", Set.of("subnet_id", "ip_address")).map(list -> list.stream()
                .map(ip -> {
                    Optional<String> subnet = ip.string("subnet_id", 36).map(s -> StandardAttributes.uuid("subnet_id", s));
                    Optional<String> address = ip.string("ip_address", 64);
                    if (subnet.isEmpty() && address.isEmpty()) {
                        throw NeutronErrors.invalidInput("a fixed_ips entry names a subnet_id, an ip_address, or both");
                    }
                    return new PortAddresses.Request(subnet, address);
                }).toList());
    }

    private void enforcePortSecurity(Fields fields, String action, AuthContext caller, Map<String, String> target) {
        if (fields.has("port_security_enabled")) {
            policy.enforce(action + ":port_security_enabled", caller, target);
        }
        if (fields.has("allowed_address_pairs")) {
            policy.enforce(action + ":allowed_address_pairs", caller, target);
        }
        if (fields.has(ALLOWED_ETHERTYPES)) {
            policy.enforce(action + ":" + ALLOWED_ETHERTYPES, caller, target);
        }
    }

    private static Optional<List<String>> groupIds(Fields fields) {
        return fields.strings("security_groups", 36).map(ids -> ids.stream()
                .map(id -> StandardAttributes.uuid("security_groups", id)).toList());
    }

    private static Optional<List<AddressPair>> pairs(Fields fields) {
        return fields.objects("allowed_address_pairs", Set.of("ip_address", "mac_address")).map(list -> list.stream()
                .map(pair -> new AddressPair(pair.requiredString("ip_address", 64), pair.string("mac_address", 17)
                        .orElse(null))).toList());
    }

    private static Optional<List<Integer>> ethertypes(Fields fields) {
        return fields.strings(ALLOWED_ETHERTYPES, 6).map(PortSecurityRules::normaliseEthertypes);
    }

    private static ApiException macInUse(String networkId, String mac) {
        return new ApiException(409, "MacAddressInUse", "Unable to complete operation for network " + networkId
                + ". The mac address " + mac + " is in use.");
    }

    // The unique keys decide races that the checks before them could not see.
    private static RuntimeException conflictOr(UnableToExecuteStatementException e, String networkId, Optional<String> mac) {
        if (!Constraints.isUniqueViolation(e)) {
            return e;
        }
        String text = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT);
        if (text.contains("mac_in_network")) {
            return macInUse(networkId, mac.orElse("requested"));
        }
        return new ApiException(409, "IpAddressAlreadyAllocated", "An IP address requested is already allocated on network "
                + networkId + ".");
    }

    /** Neutron shows binding:host_id, vif_type, vif_details and profile to admins only. */
    private boolean showsBinding(AuthContext caller) {
        return policy.allows("get_port:binding", caller, Map.of());
    }

    /** The binding attributes one request asks to change. */
    private record BindingChange(Optional<String> host, Optional<String> vnicType, Optional<Map<String, Object>> profile) {
        static BindingChange of(Fields fields) {
            Optional<String> vnic = fields.string(VNIC_TYPE, 64);
            vnic.ifPresent(v -> {
                if (!VNIC_TYPES.contains(v)) {
                    throw NeutronErrors.invalidAttribute(VNIC_TYPE, "'" + v + "' is not in " + new java.util.TreeSet<>(VNIC_TYPES));
                }
            });
            Optional<Map<String, Object>> profile = fields.freeObject(PROFILE).map(o -> Json.MAPPER.convertValue(o,
                    new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() {
                    }));
            return new BindingChange(fields.string(HOST_ID, 255), vnic, profile);
        }

        boolean any() {
            return host.isPresent() || vnicType.isPresent() || profile.isPresent();
        }

        void enforce(Policy policy, String action, AuthContext caller, Map<String, String> target) {
            host.ifPresent(h -> policy.enforce(action + ":binding:host_id", caller, target));
            profile.ifPresent(p -> policy.enforce(action + ":binding:profile", caller, target));
            vnicType.ifPresent(v -> policy.enforce(action + ":binding:vnic_type", caller, target));
        }
    }

    private PortBinding applyBinding(PortBinding current, BindingChange asked, String portId, String networkId,
                                     boolean hasAddresses, boolean rebind) {
        String host = asked.host().orElse(current.hostId());
        String vnic = asked.vnicType().orElse(current.vnicType());
        Map<String, Object> profile = asked.profile().orElse(current.profile());
        Binding binding = rebind || !host.equals(current.hostId())
                ? binder.bind(new BindingRequest(portId, networkId, host, hasAddresses, vnic))
                : current.binding();
        return new PortBinding(host, vnic, profile, binding);
    }

    public static ObjectNode render(Port p, boolean showBinding) {
        ObjectNode json = Json.object()
                .put("id", p.id())
                .put("name", p.name())
                .put("network_id", p.networkId())
                .put("mac_address", p.macAddress())
                .put("admin_state_up", p.adminStateUp())
                .put("status", p.status())
                .put("device_id", p.deviceId())
                .put("device_owner", p.deviceOwner())
                .put("ip_allocation", p.ipAllocation())
                .put("port_security_enabled", p.portSecurityEnabled());
        ArrayNode ips = json.putArray("fixed_ips");
        p.fixedIps().forEach(ip -> ips.addObject().put("subnet_id", ip.subnetId()).put("ip_address", ip.ipAddress()));
        json.put(VNIC_TYPE, p.binding().vnicType());
        ArrayNode groups = json.putArray("security_groups");
        p.securityGroups().forEach(groups::add);
        ArrayNode pairs = json.putArray("allowed_address_pairs");
        p.allowedAddressPairs().forEach(pair -> pairs.addObject().put("ip_address", pair.ipAddress())
                .put("mac_address", pair.macAddress()));
        ArrayNode ethertypes = json.putArray(ALLOWED_ETHERTYPES);
        p.allowedEthertypes().forEach(e -> ethertypes.add(Port.ethertype(e)));
        if (showBinding) {
            json.put(HOST_ID, p.binding().hostId());
            json.put("binding:vif_type", p.binding().binding().vifType());
            json.set("binding:vif_details", Json.MAPPER.valueToTree(p.binding().binding().vifDetails()));
            json.set(PROFILE, Json.MAPPER.valueToTree(p.binding().profile()));
        }
        StandardAttributes.render(json, p.projectId(), p.description(), p.createdAt(), p.updatedAt(), p.revisionNumber());
        return json;
    }
}
