package dev.portside.network.subnet;

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
import dev.portside.network.change.Change;
import dev.portside.network.ipam.Ip;
import dev.portside.network.ipam.Ipam;
import dev.portside.network.net.Network;
import dev.portside.network.net.NetworkStore;
import dev.portside.network.port.Port;
import dev.portside.network.port.PortStore;
import dev.portside.network.subnet.SubnetRules.Block;
import org.jdbi.v3.core.Handle;

import java.math.BigInteger;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Subnets: address ranges on a network, with the pools IPAM allocates from. */
public final class SubnetService implements ResourceService<Subnet> {
    private final ServiceContext context;
    private final SubnetStore subnets;
    private final NetworkStore networks;
    private final Ipam ipam;
    private final PortStore ports;

    public SubnetService(ServiceContext context, SubnetStore subnets, NetworkStore networks, PortStore ports, Ipam ipam) {
        this.ports = ports;
        this.context = context;
        this.subnets = subnets;
        this.networks = networks;
        this.ipam = ipam;
    }

    @Override
    public ResourceDefinition<Subnet> definition() {
        return Definitions.SUBNET;
    }

    @Override
    public Subnet create(AuthContext caller, Request request) {
        Fields fields = request.fields();
        String networkId = fields.requiredString("network_id", 36);
        int ipVersion = fields.integer("ip_version").orElseThrow(() ->
                NeutronErrors.invalidAttribute("ip_version", "'None' is not in [4, 6]."));
        if (ipVersion != 4 && ipVersion != 6) {
            throw NeutronErrors.invalidAttribute("ip_version", "'" + ipVersion + "' is not in [4, 6].");
        }
        Block block = SubnetRules.block(fields.requiredString("cidr", 64), ipVersion);
        Optional<String> raMode = fields.nullableString("ipv6_ra_mode", 32).flatMap(m -> m);
        Optional<String> addressMode = fields.nullableString("ipv6_address_mode", 32).flatMap(m -> m);
        SubnetRules.ipv6Modes(ipVersion, raMode, addressMode, block);
        Optional<BigInteger> gateway = SubnetRules.gateway(fields.nullableString("gateway_ip", 64), block);
        List<Ipam.Range> pools = SubnetRules.pools(requestedPools(fields, block), block, gateway);
        List<String> dns = SubnetRules.nameservers(fields.strings("dns_nameservers", 64).orElse(List.of()), ipVersion);
        List<HostRoute> routes = SubnetRules.hostRoutes(routes(fields).orElse(List.of()), ipVersion);
        String project = StandardAttributes.owner(fields, caller, context.policy());
        Instant now = NetworkStore.now(context.clock());
        Subnet subnet = new Subnet(StandardAttributes.newId(), networkId, project,
                StandardAttributes.text(fields, "name").orElseThrow(),
                StandardAttributes.text(fields, "description").orElseThrow(),
                ipVersion, block.text(), gateway.map(g -> Ip.text(ipVersion, g)), fields.bool("enable_dhcp").orElseThrow(),
                raMode, addressMode, dns, routes,
                pools.stream().map(p -> new AllocationPool(Ip.text(ipVersion, p.first()), Ip.text(ipVersion, p.last()))).toList(),
                now, now, 1);
        return context.tx().inTransaction((h, changes) -> {
            context.quotas().claim(h, project, "subnet", 1);
            // Locking the network serialises subnet creation on it, so the overlap check cannot race.
            Network network = networks.lock(h, networkId)
                    .filter(n -> context.policy().allows("get_network", caller, n.target()))
                    .orElseThrow(() -> NeutronErrors.networkNotFound(networkId));
            context.policy().enforce("create_subnet", caller, network.target());
            request.enforceAttributes(context.policy(), caller, network.target());
            SubnetRules.noOverlap(block, subnets.ofNetwork(h, networkId), networkId);
            subnets.insert(h, subnet);
            ipam.addFree(h, subnet.id(), subnet.isAutoAddressed() ? List.of() : pools);
            return subnet;
        });
    }

    @Override
    public Page<Subnet> list(AuthContext caller, ListRequest request) {
        return context.tx().read(h -> {
            Map<String, Network> byId = new HashMap<>();
            return context.listing().page(h, Definitions.SUBNET, "s", request,
                    SubnetStore.scope(StandardAttributes.listScope(context.policy(), caller)), subnets::select,
                    s -> context.policy().allows("get_subnet", caller, target(h, s, byId)));
        });
    }

    @Override
    public Subnet show(AuthContext caller, String id) {
        return context.tx().read(h -> visible(h, caller, id));
    }

    @Override
    public Subnet update(AuthContext caller, String id, ObjectNode body, Optional<String> ifMatch) {
        return context.tx().inTransaction((h, changes) -> {
            Subnet subnet = visible(h, caller, id);
            Request request = Definitions.SUBNET.forUpdate(body, subnet);
            Fields fields = request.fields();
            Map<String, String> target = target(h, subnet, new HashMap<>());
            context.policy().enforce("update_subnet", caller, target);
            StandardAttributes.checkRevision(ifMatch, subnet.revisionNumber());
            request.enforceAttributes(context.policy(), caller, target);
            Block block = SubnetRules.block(subnet.cidr(), subnet.ipVersion());
            Optional<String> gateway = subnet.gatewayIp();
            if (fields.has("gateway_ip")) {
                Optional<BigInteger> requested = SubnetRules.gateway(fields.nullableString("gateway_ip", 64), block);
                // The gateway must stay out of the pools; with new pools in this request, they are checked below.
                if (!fields.has("allocation_pools")) {
                    SubnetRules.pools(Optional.of(SubnetRules.ranges(subnet.allocationPools())), block, requested);
                }
                gateway = requested.map(g -> Ip.text(subnet.ipVersion(), g));
            }
            List<AllocationPool> pools = subnet.allocationPools();
            Optional<List<Ipam.Range>> newPools = requestedPools(fields, block);
            if (newPools.isPresent()) {
                List<Ipam.Range> checked = SubnetRules.pools(newPools, block,
                        gateway.map(g -> Ip.address(g).orElseThrow().getValue()));
                pools = checked.stream().map(p -> new AllocationPool(Ip.text(subnet.ipVersion(), p.first()),
                        Ip.text(subnet.ipVersion(), p.last()))).toList();
                subnets.replacePools(h, id, pools);
                if (!subnet.isAutoAddressed()) {
                    java.util.SortedSet<BigInteger> inUse = new java.util.TreeSet<>();
                    subnets.addressesInUse(h, id).forEach(ip -> inUse.add(Ip.address(ip).orElseThrow().getValue()));
                    subnet.gatewayIp().ifPresent(g -> inUse.add(Ip.address(g).orElseThrow().getValue()));
                    ipam.rebuildFree(h, id, checked, inUse);
                }
            }
            Subnet changed = new Subnet(id, subnet.networkId(), subnet.projectId(),
                    StandardAttributes.text(fields, "name").orElse(subnet.name()),
                    StandardAttributes.text(fields, "description").orElse(subnet.description()), subnet.ipVersion(),
                    subnet.cidr(), gateway, fields.bool("enable_dhcp").orElse(subnet.enableDhcp()), subnet.ipv6RaMode(),
                    subnet.ipv6AddressMode(),
                    fields.strings("dns_nameservers", 64).map(d -> SubnetRules.nameservers(d, subnet.ipVersion()))
                            .orElse(subnet.dnsNameservers()),
                    routes(fields).map(r -> SubnetRules.hostRoutes(r, subnet.ipVersion())).orElse(subnet.hostRoutes()),
                    pools, subnet.createdAt(), NetworkStore.now(context.clock()), subnet.revisionNumber() + 1);
            subnets.update(h, changed);
            return changed;
        });
    }

    @Override
    public void delete(AuthContext caller, String id, Optional<String> ifMatch) {
        context.tx().inTransaction((h, changes) -> {
            Subnet subnet = visible(h, caller, id);
            context.policy().enforce("delete_subnet", caller, target(h, subnet, new HashMap<>()));
            StandardAttributes.checkRevision(ifMatch, subnet.revisionNumber());
            networks.lock(h, subnet.networkId());
            if (subnet.isAutoAddressed()) {
                // As Neutron does: addresses ports made from their MAC on a SLAAC or DHCPv6-stateless
                // subnet go with the subnet; the ports stay, with their other addresses.
                Instant now = NetworkStore.now(context.clock());
                for (String portId : subnets.portsWithAllocations(h, id)) {
                    Port before = ports.findForUpdate(h, portId).orElseThrow();
                    Port after = before.withoutAddressesOn(id, now);
                    before.fixedIps().stream().filter(ip -> ip.subnetId().equals(id))
                            .forEach(ip -> ports.removeAllocation(h, subnet.networkId(), ip.ipAddress()));
                    ports.update(h, after);
                    changes.accept(Change.PortChange.updated(before, after));
                }
            }
            if (subnets.hasAllocations(h, id)) {
                throw new ApiException(409, "SubnetInUse", "Unable to complete operation on subnet " + id
                        + ": One or more ports have an IP allocation from this subnet.");
            }
            context.tags().replace(h, id, List.of());
            subnets.delete(h, id);
            return id;
        });
    }

    /** Tags of a resource: seen by whoever sees it, changed by whoever may update it. */
    public void authorizeTags(Handle h, AuthContext caller, String id, boolean change) {
        Subnet subnet = visible(h, caller, id);
        if (change) {
            context.policy().enforce("update_subnet", caller, target(h, subnet, new HashMap<>()));
        }
    }

    private Subnet visible(Handle h, AuthContext caller, String id) {
        return subnets.find(h, id).filter(s -> context.policy().allows("get_subnet", caller, target(h, s, new HashMap<>())))
                .orElseThrow(() -> NeutronErrors.subnetNotFound(id));
    }

    /** A subnet's policy target: its owner, and its network's owner and sharing. */
    private Map<String, String> target(Handle h, Subnet subnet, Map<String, Network> cache) {
        Network network = cache.computeIfAbsent(subnet.networkId(), id -> networks.find(h, id).orElseThrow());
        Map<String, String> target = new HashMap<>(network.target());
        target.put("project_id", subnet.projectId());
        return target;
    }

    private static Optional<List<Ipam.Range>> requestedPools(Fields fields, Block block) {
        return fields.objects("allocation_pools", Set.of("start", "end")).map(list -> list.stream().map(pool -> new Ipam.Range(
                SubnetRules.address("allocation_pools", pool.requiredString("start", 64), block),
                SubnetRules.address("allocation_pools", pool.requiredString("end", 64), block))).toList());
    }

    private static Optional<List<HostRoute>> routes(Fields fields) {
        return fields.objects("host_routes", Set.of("destination", "nexthop")).map(list -> list.stream()
                .map(r -> new HostRoute(r.requiredString("destination", 64), r.requiredString("nexthop", 64))).toList());
    }
}
