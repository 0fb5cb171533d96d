package dev.portside.network.port;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portside.common.auth.AuthContext;
import dev.portside.common.db.Constraints;
import dev.portside.common.http.ApiException;
import dev.portside.common.json.Fields;
import dev.portside.common.json.Json;
import dev.portside.common.net.IpAllocation;
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
import dev.portside.network.binding.Binding;
import dev.portside.network.binding.BindingRequest;
import dev.portside.network.binding.PortBinder;
import dev.portside.network.binding.PortBinding;
import dev.portside.network.change.Change;
import dev.portside.network.ipam.Ipam;
import dev.portside.network.net.Network;
import dev.portside.network.net.NetworkStore;
import dev.portside.network.secgroup.SecurityGroups;
import dev.portside.network.subnet.Subnet;
import dev.portside.network.subnet.SubnetStore;
import dev.portside.network.trunk.TrunkRules;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Ports: creation with addresses from IPAM (or none: {@code "fixed_ips": []} makes the unaddressed
 * port), MACs, port security, binding through the mechanism drivers, and every change told to the
 * listeners (the host firewall, compute) once committed.
 */
public final class PortService implements ResourceService<Port> {
    private static final int MAC_ATTEMPTS = 16;

    private final ServiceContext context;
    private final PortStore ports;
    private final NetworkStore networks;
    private final SubnetStore subnets;
    private final PortAddresses addresses;
    private final MacAddresses macs;
    private final PortBinder binder;
    private final SecurityGroups securityGroups;
    private final TrunkRules trunks;
    private final dev.portside.network.l3.FloatingIpStore floatingIps;

    public PortService(ServiceContext context, PortStore ports, NetworkStore networks, SubnetStore subnets, Ipam ipam,
                       MacAddresses macs, PortBinder binder, SecurityGroups securityGroups, TrunkRules trunks,
                       dev.portside.network.l3.FloatingIpStore floatingIps) {
        this.floatingIps = floatingIps;
        this.context = context;
        this.ports = ports;
        this.networks = networks;
        this.subnets = subnets;
        this.addresses = new PortAddresses(ipam, ports);
        this.macs = macs;
        this.binder = binder;
        this.securityGroups = securityGroups;
        this.trunks = trunks;
    }

    @Override
    public ResourceDefinition<Port> definition() {
        return Definitions.PORT;
    }

    @Override
    public Port create(AuthContext caller, Request request) {
        Fields fields = request.fields();
        String networkId = fields.requiredString("network_id", 36);
        String project = StandardAttributes.owner(fields, caller, context.policy());
        Optional<String> mac = fields.string("mac_address", 17).map(m -> MacAddresses.normalise("mac_address", m));
        Optional<List<AddressRequest>> requested = fixedIps(fields);
        BindingChange asked = BindingChange.of(fields);
        Optional<List<String>> groupsAsked = fields.strings("security_groups", 36);
        Optional<List<AddressPair>> pairsAsked = pairs(fields);
        Optional<List<Integer>> ethertypesAsked = ethertypes(fields);
        try {
            return context.tx().inTransaction((h, changes) -> {
                context.quotas().claim(h, project, "port", 1);
                Network network = networks.find(h, networkId)
                        .filter(n -> context.policy().allows("get_network", caller, n.target()))
                        .orElseThrow(() -> NeutronErrors.networkNotFound(networkId));
                // The new port's project is the caller's (or the admin's choice), not the network's: a member
                // of one project may make ports on another's shared network.
                Map<String, String> target = new HashMap<>(network.target());
                target.put("project_id", project);
                context.policy().enforce("create_port", caller, target);
                request.enforceAttributes(context.policy(), caller, target);
                if (requested.orElse(List.of()).stream().anyMatch(r -> r.ipAddress().isPresent())) {
                    context.policy().enforce("create_port:fixed_ips:ip_address", caller, target);
                }
                String macAddress = mac.map(m -> {
                    if (ports.macInUse(h, networkId, m)) {
                        throw macInUse(networkId, m);
                    }
                    return m;
                }).orElseGet(() -> newMac(h, networkId));
                List<Subnet> onNetwork = subnets.ofNetwork(h, networkId);
                // The ip_allocation extension: an explicit empty fixed_ips asks for an unaddressed port.
                String ipAllocation = requested.isPresent() && requested.get().isEmpty() ? Port.NONE : Port.IMMEDIATE;
                List<FixedIp> ips = requested.isEmpty()
                        ? addresses.automatic(h, networkId, onNetwork, macAddress)
                        : addresses.requested(h, networkId, onNetwork, requested.get(), macAddress, List.of(),
                        false);
                Instant now = NetworkStore.now(context.clock());
                String portId = StandardAttributes.newId();
                PortBinding binding = bind(PortBinding.NONE, asked, portId, networkId, ips, ipAllocation,
                        asked.host().isPresent());
                boolean portSecurity = fields.bool("port_security_enabled").orElse(network.portSecurityEnabled());
                groupsAsked.ifPresent(ids -> ids.forEach(id -> securityGroups.visible(h, caller, id)));
                List<String> groups = PortSecurityRules.groups(portSecurity, portSecurity && groupsAsked.isEmpty()
                        ? List.of(securityGroups.ensureDefault(h, project)) : List.of(), groupsAsked);
                List<AddressPair> addressPairs = PortSecurityRules.pairs(portSecurity,
                        PortSecurityRules.normalise(pairsAsked.orElse(List.of()), macAddress));
                List<Integer> allowedEthertypes = PortSecurityRules.ethertypes(portSecurity,
                        ethertypesAsked.orElse(List.of()));
                Port created = new Port(portId, networkId, project, fields.string("name", 255).orElseThrow(),
                        fields.string("description", 255).orElseThrow(), macAddress,
                        fields.bool("admin_state_up").orElseThrow(), PortStatus.DOWN,
                        fields.string("device_id", 255).orElseThrow(), fields.string("device_owner", 255).orElseThrow(),
                        ipAllocation, portSecurity, ips, binding, groups, addressPairs, allowedEthertypes, now, now, 1,
                        Optional.empty());
                ports.insert(h, created);
                ports.addSecurity(h, created);
                ips.forEach(ip -> ports.addAllocation(h, networkId, created.id(), ip));
                changes.accept(Change.PortChange.created(created));
                return created;
            });
        } catch (UnableToExecuteStatementException e) {
            throw conflictOr(e, networkId, mac);
        }
    }

    @Override
    public Page<Port> list(AuthContext caller, ListRequest request) {
        return context.tx().read(h -> {
            Map<String, Network> cache = new HashMap<>();
            return context.listing().page(h, Definitions.PORT, "p", request,
                    PortStore.scope(StandardAttributes.listScope(context.policy(), caller)), ports::select,
                    p -> context.policy().allows("get_port", caller, target(h, p, cache)));
        });
    }

    @Override
    public Port show(AuthContext caller, String id) {
        return context.tx().read(h -> visible(h, caller, id, ports.find(h, id)));
    }

    @Override
    public Port update(AuthContext caller, String id, ObjectNode body, Optional<String> ifMatch) {
        try {
            return context.tx().inTransaction((h, changes) -> {
                Port port = visible(h, caller, id, ports.findForUpdate(h, id));
                Request request = Definitions.PORT.forUpdate(body, port);
                Fields fields = request.fields();
                Optional<List<AddressRequest>> requested = fixedIps(fields);
                BindingChange asked = BindingChange.of(fields);
                Optional<List<String>> groupsAsked = fields.strings("security_groups", 36);
                Optional<List<AddressPair>> pairsAsked = pairs(fields);
                Optional<List<Integer>> ethertypesAsked = ethertypes(fields);
                Map<String, String> target = target(h, port, new HashMap<>());
                context.policy().enforce("update_port", caller, target);
                StandardAttributes.checkRevision(ifMatch, port.revisionNumber());
                request.enforceAttributes(context.policy(), caller, target);
                List<FixedIp> ips = port.fixedIps();
                if (requested.isPresent()) {
                    if (requested.get().stream().anyMatch(r -> r.ipAddress().isPresent())) {
                        context.policy().enforce("update_port:fixed_ips:ip_address", caller, target);
                    }
                    ips = changeAddresses(h, port, requested.get());
                }
                // A bound port is bound again when its host, vNIC type or addresses change, as ML2 rebinds.
                boolean rebind = asked.any() || (requested.isPresent() && !ips.equals(port.fixedIps()));
                PortBinding binding = bind(port.binding(), asked, id, port.networkId(), ips, port.ipAllocation(), rebind);
                boolean portSecurity = fields.bool("port_security_enabled").orElse(port.portSecurityEnabled());
                groupsAsked.ifPresent(ids -> ids.forEach(group -> securityGroups.visible(h, caller, group)));
                List<String> groups = PortSecurityRules.groups(portSecurity, port.securityGroups(), groupsAsked);
                List<AddressPair> addressPairs = PortSecurityRules.pairs(portSecurity, pairsAsked
                        .map(p -> PortSecurityRules.normalise(p, port.macAddress())).orElse(port.allowedAddressPairs()));
                List<Integer> allowedEthertypes = PortSecurityRules.ethertypes(portSecurity,
                        ethertypesAsked.orElse(port.allowedEthertypes()));
                Port changed = new Port(id, port.networkId(), port.projectId(),
                        fields.string("name", 255).orElse(port.name()),
                        fields.string("description", 255).orElse(port.description()), port.macAddress(),
                        fields.bool("admin_state_up").orElse(port.adminStateUp()),
                        // A port bound anew is DOWN until the host's agent reports its device up.
                        binding.equals(port.binding()) ? port.status() : PortStatus.DOWN,
                        fields.string("device_id", 255).orElse(port.deviceId()),
                        fields.string("device_owner", 255).orElse(port.deviceOwner()),
                        // As Neutron: removing every address keeps "immediate"; only creation decides "none".
                        port.ipAllocation(),
                        portSecurity, ips, binding, groups, addressPairs, allowedEthertypes, port.createdAt(),
                        NetworkStore.now(context.clock()), port.revisionNumber() + 1, port.trunkDetails());
                ports.update(h, changed);
                ports.replaceSecurity(h, changed);
                changes.accept(Change.PortChange.updated(port, changed));
                if (!binding.hostId().equals(port.binding().hostId())) {
                    moveSubPorts(h, changes, id, binding.hostId());
                }
                return changed;
            });
        } catch (UnableToExecuteStatementException e) {
            throw conflictOr(e, id, Optional.empty());
        }
    }

    @Override
    public void delete(AuthContext caller, String id, Optional<String> ifMatch) {
        context.tx().inTransaction((h, changes) -> {
            Port port = visible(h, caller, id, ports.findForUpdate(h, id));
            context.policy().enforce("delete_port", caller, target(h, port, new HashMap<>()));
            StandardAttributes.checkRevision(ifMatch, port.revisionNumber());
            trunks.checkPortDeletion(h, id);
            if (port.isL3()) {
                // Neutron's prevent_l3_port_deletion: a router's or floating IP's port goes with it, not alone.
                throw new ApiException(409, "ServicePortInUse", "Port " + id + " cannot be deleted directly via the"
                        + " port API: has device owner " + port.deviceOwner() + ".");
            }
            // As Neutron: a port's floating IPs stay the project's, no longer associated.
            for (var floatingIp : floatingIps.ofPort(h, id)) {
                floatingIps.update(h, floatingIp.changed(floatingIp.description(), Optional.empty(),
                        NetworkStore.now(context.clock())));
                floatingIp.association().ifPresent(a -> changes.accept(new Change.RouterChange(a.routerId())));
            }
            remove(h, changes, port);
            return port;
        });
    }

    /**
     * A port a router or floating IP holds, made inside that resource's transaction: its project, its
     * owner, and the addresses asked for ({@code fixedIps} empty: the automatic ones). No port security:
     * it carries routed and translated traffic, as Neutron's trusted "network:" owners do.
     */
    public Port createOwned(Handle h, java.util.function.Consumer<Change> changes, String networkId, String projectId,
                            String deviceOwner, String deviceId, Optional<List<AddressRequest>> fixedIps) {
        networks.find(h, networkId).orElseThrow(() -> NeutronErrors.networkNotFound(networkId));
        String macAddress = newMac(h, networkId);
        List<Subnet> onNetwork = subnets.ofNetwork(h, networkId);
        List<FixedIp> ips = fixedIps.isEmpty() ? addresses.automatic(h, networkId, onNetwork, macAddress)
                : addresses.requested(h, networkId, onNetwork, fixedIps.get(), macAddress, List.of(), true);
        Instant now = NetworkStore.now(context.clock());
        Port created = new Port(StandardAttributes.newId(), networkId, projectId, "", "", macAddress, true,
                PortStatus.DOWN, deviceId, deviceOwner, Port.IMMEDIATE, false, ips, PortBinding.NONE, List.of(),
                List.of(), List.of(), now, now, 1, Optional.empty());
        ports.insert(h, created);
        ports.addSecurity(h, created);
        ips.forEach(ip -> ports.addAllocation(h, networkId, created.id(), ip));
        changes.accept(Change.PortChange.created(created));
        return created;
    }

    /** Deletes a port a router or floating IP holds, inside that resource's transaction. */
    public void deleteOwned(Handle h, java.util.function.Consumer<Change> changes, String portId) {
        remove(h, changes, ports.findForUpdate(h, portId).orElseThrow(() -> NeutronErrors.portNotFound(portId)));
    }

    /** The port becomes (or, with empty owner and device, stops being) a router's interface. */
    public Port ownedBy(Handle h, java.util.function.Consumer<Change> changes, Port port, String deviceOwner,
                        String deviceId) {
        Port changed = port.ownedBy(deviceOwner, deviceId, NetworkStore.now(context.clock()));
        ports.update(h, changed);
        changes.accept(Change.PortChange.updated(port, changed));
        return changed;
    }

    /** The port without its addresses on {@code subnetId}: a router interface leaving one of its subnets. */
    public Port removeAddressesOn(Handle h, java.util.function.Consumer<Change> changes, Port port, String subnetId) {
        Map<String, Subnet> bySubnet = subnetsById(h, port.networkId());
        port.fixedIps().stream().filter(ip -> ip.subnetId().equals(subnetId)).forEach(ip -> {
            ports.removeAllocation(h, port.networkId(), ip.ipAddress());
            addresses.release(h, bySubnet.get(ip.subnetId()), ip);
        });
        Port changed = port.withoutAddressesOn(subnetId, NetworkStore.now(context.clock()));
        ports.update(h, changed);
        changes.accept(Change.PortChange.updated(port, changed));
        return changed;
    }

    private void remove(Handle h, java.util.function.Consumer<Change> changes, Port port) {
        Map<String, Subnet> bySubnet = subnetsById(h, port.networkId());
        for (FixedIp ip : port.fixedIps()) {
            ports.removeAllocation(h, port.networkId(), ip.ipAddress());
            addresses.release(h, bySubnet.get(ip.subnetId()), ip);
        }
        context.tags().replace(h, port.id(), List.of());
        ports.delete(h, port.id());
        changes.accept(Change.PortChange.deleted(port));
    }

    /**
     * The port, row-locked until the transaction ends, if {@code caller} may see it (else PortNotFound):
     * for another resource's transaction that builds on ports (a trunk's parent and sub-ports).
     */
    public Port visibleForUpdate(Handle h, AuthContext caller, String id) {
        return visible(h, caller, id, ports.findForUpdate(h, id));
    }

    /** The sub-ports of the trunk {@code parentId} is the parent of (if it is one) follow it to {@code hostId}. */
    public void moveSubPorts(Handle h, java.util.function.Consumer<Change> changes, String parentId, String hostId) {
        trunks.subPortsOf(h, parentId).forEach(subPort -> followParent(h, changes, subPort, hostId));
    }

    /**
     * Binds a trunk's sub-port on {@code hostId}, where its parent is bound, or unbinds it with an empty
     * one, as Neutron's trunk drivers do: a bound sub-port is owned by "trunk:subport", an unbound one
     * by nobody, and it is DOWN until the host reports its VLAN wired.
     */
    public void followParent(Handle h, java.util.function.Consumer<Change> changes, String subPortId, String hostId) {
        Port port = ports.findForUpdate(h, subPortId).orElseThrow(() -> NeutronErrors.portNotFound(subPortId));
        PortBinding binding = bind(port.binding(), new BindingChange(Optional.of(hostId), Optional.empty(),
                Optional.empty()), subPortId, port.networkId(), port.fixedIps(), port.ipAllocation(), true);
        String owner = hostId.isEmpty() ? "" : TrunkRules.SUBPORT_OWNER;
        Port changed = port.boundForTrunk(binding, owner, NetworkStore.now(context.clock()));
        ports.update(h, changed);
        changes.accept(Change.PortChange.updated(port, changed));
    }

    /** Tags of a port: seen by whoever sees it, changed by whoever may update it. */
    public void authorizeTags(Handle h, AuthContext caller, String id, boolean change) {
        Port port = visible(h, caller, id, ports.find(h, id));
        if (change) {
            context.policy().enforce("update_port", caller, target(h, port, new HashMap<>()));
        }
    }

    private List<FixedIp> changeAddresses(Handle h, Port port, List<AddressRequest> requested) {
        List<Subnet> onNetwork = subnets.ofNetwork(h, port.networkId());
        List<FixedIp> wanted = addresses.requested(h, port.networkId(), onNetwork, requested, port.macAddress(),
                port.fixedIps(), port.isL3());
        Map<String, Subnet> bySubnet = new HashMap<>();
        onNetwork.forEach(s -> bySubnet.put(s.id(), s));
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

    private Port visible(Handle h, AuthContext caller, String id, Optional<Port> found) {
        return found.filter(p -> context.policy().allows("get_port", caller, target(h, p, new HashMap<>())))
                .orElseThrow(() -> NeutronErrors.portNotFound(id));
    }

    private Map<String, String> target(Handle h, Port port, Map<String, Network> cache) {
        return port.target(cache.computeIfAbsent(port.networkId(), id -> networks.find(h, id).orElseThrow()).target());
    }

    private static Optional<List<AddressRequest>> fixedIps(Fields fields) {
        return fields.objects("fixed_ips", Set.of("subnet_id", "ip_address")).map(list -> list.stream()
                .map(ip -> {
                    Optional<String> subnet = ip.string("subnet_id", 36).map(s -> StandardAttributes.uuid("subnet_id", s));
                    Optional<String> address = ip.string("ip_address", 64);
                    if (subnet.isEmpty() && address.isEmpty()) {
                        throw NeutronErrors.invalidInput("a fixed_ips entry names a subnet_id, an ip_address, or both");
                    }
                    return new AddressRequest(subnet, address);
                }).toList());
    }

    private static Optional<List<AddressPair>> pairs(Fields fields) {
        return fields.objects("allowed_address_pairs", Set.of("ip_address", "mac_address")).map(list -> list.stream()
                .map(pair -> new AddressPair(pair.requiredString("ip_address", 64), pair.string("mac_address", 17)
                        .orElse(null))).toList());
    }

    private static Optional<List<Integer>> ethertypes(Fields fields) {
        return fields.strings("allowed_ethertypes", 6).map(PortSecurityRules::normaliseEthertypes);
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
        String text = String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT);
        if (text.contains("mac_in_network")) {
            return macInUse(networkId, mac.orElse("requested"));
        }
        return new ApiException(409, "IpAddressAlreadyAllocated", "An IP address requested is already allocated on network "
                + networkId + ".");
    }

    /** The binding attributes one request asks to change. */
    private record BindingChange(Optional<String> host, Optional<String> vnicType, Optional<Map<String, Object>> profile) {
        static BindingChange of(Fields fields) {
            Optional<Map<String, Object>> profile = fields.freeObject("binding:profile").map(o -> Json.MAPPER.convertValue(o,
                    new TypeReference<Map<String, Object>>() {
                    }));
            return new BindingChange(fields.string("binding:host_id", 255), fields.string("binding:vnic_type", 64), profile);
        }

        boolean any() {
            return host.isPresent() || vnicType.isPresent() || profile.isPresent();
        }
    }

    private PortBinding bind(PortBinding current, BindingChange asked, String portId, String networkId, List<FixedIp> ips,
                             String ipAllocation, boolean rebind) {
        String host = asked.host().orElse(current.hostId());
        String vnic = asked.vnicType().orElse(current.vnicType());
        Map<String, Object> profile = asked.profile().orElse(current.profile());
        Binding binding = rebind || !host.equals(current.hostId())
                ? binder.bind(new BindingRequest(portId, networkId, host, !ips.isEmpty(),
                IpAllocation.unaddressed(ips, ipAllocation), vnic))
                : current.binding();
        return new PortBinding(host, vnic, profile, binding);
    }
}
