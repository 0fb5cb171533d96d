package dev.portside.network.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.portside.common.json.Json;
import dev.portside.network.l3.FloatingIp;
import dev.portside.network.l3.Router;
import dev.portside.network.net.Network;
import dev.portside.network.port.Port;
import dev.portside.network.secgroup.SecurityGroup;
import dev.portside.network.secgroup.SecurityGroupRule;
import dev.portside.network.subnet.Subnet;
import dev.portside.network.trunk.SubPortRequests;
import dev.portside.network.trunk.Trunk;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import static dev.portside.network.api.Query.Kind.BOOLEAN;
import static dev.portside.network.api.Query.Kind.INTEGER;
import static dev.portside.network.api.Query.Kind.TEXT;

/**
 * Every resource Portside's Networking API serves and every extension it loads, as data: a resource
 * is its core attributes plus, per extension, the attributes that extension brings, written once
 * beside the extension. {@code GET /v2.0/extensions} lists {@link #LOADED}.
 */
public final class Definitions {
    private Definitions() {
    }

    // Extensions whose attributes every resource with standard attributes has.
    public static final Extension PROJECT_ID = new Extension("project-id", "project_id field enabled",
            "Extension that indicates that project_id field is enabled.", "2016-09-09T09:09:09-09:09");
    public static final Extension DESCRIPTION = new Extension("standard-attr-description", "standard-attr-description",
            "Extension to add descriptions to standard attributes", "2016-02-10T10:00:00-00:00");
    public static final Extension REVISIONS = new Extension("standard-attr-revisions", "Resource revision numbers",
            "This extension will display the revision number of neutron resources.", "2016-04-11T10:00:00-00:00");
    public static final Extension TIMESTAMP = new Extension("standard-attr-timestamp", "Resource timestamps",
            "Adds created_at and updated_at fields to all Neutron resources that have Neutron standard attributes.",
            "2016-09-12T10:00:00-00:00");
    public static final Extension TAG = new Extension("standard-attr-tag", "Tag support for resources with standard"
            + " attribute: subnet, trunk, router, network, policy, subnetpool, port, security_group, floatingip",
            "Enables to set tag on resources with standard attribute.", "2017-01-01T00:00:00-00:00");

    // Resources that are extensions, and behaviours without attributes.
    public static final Extension SECURITY_GROUP_EXTENSION = new Extension("security-group", "security-group",
            "The security groups extension.", "2012-10-05T10:00:00-00:00");
    public static final Extension QUOTAS = new Extension("quotas", "Quota management support",
            "Expose functions for quotas management per project", "2012-07-29T10:00:00-00:00");
    public static final Extension QUOTA_DETAILS = new Extension("quota_details", "Quota details management support",
            "Expose functions for quotas usage statistics per project", "2017-02-10T10:00:00-00:00");
    public static final Extension BINDING_EXTENDED = new Extension("binding-extended", "Port Bindings Extended",
            "Expose port bindings of a virtual port to external application", "2017-07-17T10:00:00-00:00");
    public static final Extension REVISION_IF_MATCH = new Extension("revision-if-match",
            "If-Match constraints based on revision_number",
            "Extension indicating that If-Match based on revision_number is supported.", "2016-12-11T00:00:00-00:00");
    public static final Extension FIELDS = new Extension("fields", "Fields",
            "Support for the fields query parameter on list and show requests.", "2016-01-01T00:00:00-00:00");
    public static final Extension PAGINATION = new Extension("pagination", "Pagination support",
            "Extension that indicates that pagination is enabled.", "2016-06-12T00:00:00-00:00");
    public static final Extension SORTING = new Extension("sorting", "Sorting support",
            "Extension that indicates that sorting is enabled.", "2016-06-12T00:00:00-00:00");
    public static final Extension IP_SUBSTRING_FILTERING = new Extension("ip-substring-filtering",
            "IP address substring filtering", "Provides IP address substring filtering when listing ports",
            "2017-11-28T09:00:00-00:00");

    // --- provider: where a network's frames go, set and seen by admins only.
    public static final Extension PROVIDER = new Extension("provider", "Provider Network",
            "Expose mapping of virtual networks to physical networks", "2012-09-07T10:00:00-00:00");
    private static final List<Attribute<Network>> PROVIDER_NETWORK = List.of(
            Attribute.<Network>text("provider:network_type", n -> n.segment().networkType()).post().policed()
                    .readableBy("get_network:provider:network_type").column("network_type", TEXT),
            Attribute.<Network>readOnly("provider:physical_network", n -> optional(n.segment().physicalNetwork())).post()
                    .policed().readableBy("get_network:provider:physical_network")
                    .column("COALESCE($.physical_network, '')", TEXT),
            Attribute.<Network>readOnly("provider:segmentation_id", n -> optionalInt(n.segment().segmentationId())).post()
                    .policed().readableBy("get_network:provider:segmentation_id")
                    .column("COALESCE($.segmentation_id, -1)", INTEGER));

    // --- external-net: networks routers have their gateway on and floating IPs come from; admins make them.
    public static final Extension EXTERNAL_NET = new Extension("external-net", "Neutron external network",
            "Adds external network attribute to network resource.", "2013-01-14T10:00:00-00:00");
    private static final List<Attribute<Network>> EXTERNAL_NET_NETWORK = List.of(
            Attribute.<Network>bool("router:external", Network::routerExternal).post().put().defaultsTo(false).policed()
                    .column("router_external", BOOLEAN));

    // --- port-security: the switch on networks (their ports' default) and on ports.
    public static final Extension PORT_SECURITY = new Extension("port-security", "Port Security",
            "Provides port security", "2012-07-23T10:00:00-00:00");
    private static final List<Attribute<Network>> PORT_SECURITY_NETWORK = List.of(
            Attribute.<Network>bool("port_security_enabled", Network::portSecurityEnabled).post().put().defaultsTo(true)
                    .column("port_security_enabled", BOOLEAN));
    private static final List<Attribute<Port>> PORT_SECURITY_PORT = List.of(
            Attribute.<Port>bool("port_security_enabled", Port::portSecurityEnabled).post().put().policed()
                    .column("port_security_enabled", BOOLEAN));

    // --- security-group: a port's groups (the groups and rules themselves are resources below).
    private static final List<Attribute<Port>> SECURITY_GROUP_PORT = List.of(
            Attribute.<Port>readOnly("security_groups", p -> strings(p.securityGroups())).post().put()
                    .validated(Validator.uuids())
                    .within(new Query.Within("network_port_security_group", "port_id", Map.of("", "security_group_id"))));

    // --- allowed-address-pairs
    public static final Extension ALLOWED_ADDRESS_PAIRS = new Extension("allowed-address-pairs", "Allowed Address Pairs",
            "Provides allowed address pairs", "2013-07-23T10:00:00-00:00");
    private static final List<Attribute<Port>> ALLOWED_ADDRESS_PAIRS_PORT = List.of(
            Attribute.<Port>readOnly("allowed_address_pairs", p -> objects(p.allowedAddressPairs(), pair -> Json.object()
                            .put("ip_address", pair.ipAddress()).put("mac_address", pair.macAddress()))).post().put().policed()
                    .within(new Query.Within("network_allowed_address_pair", "port_id",
                            Map.of("ip_address", "ip_address", "mac_address", "mac_address"))));

    // --- port-allowed-ethertypes: Portside's own, not in neutron-lib.
    public static final Extension ALLOWED_ETHERTYPES = new Extension("port-allowed-ethertypes", "Port allowed ethertypes",
            "Ethertypes besides ARP, IPv4 and IPv6 that a port with port security may send and receive"
                    + " (allowed_ethertypes); Portside's extension.", "2026-11-25T00:00:00-00:00");
    private static final List<Attribute<Port>> ALLOWED_ETHERTYPES_PORT = List.of(
            Attribute.<Port>readOnly("allowed_ethertypes", p -> strings(p.allowedEthertypes().stream()
                            .map(Port::ethertype).toList())).post().put().policed()
                    .within(new Query.Within("network_port_ethertype", "port_id", Map.of("", "ethertype"),
                            Definitions::ethertypeValue)));

    // --- ip_allocation
    public static final Extension IP_ALLOCATION = new Extension("ip_allocation", "IP Allocation",
            "IP allocation extension.", "2016-06-10T23:00:00-00:00");
    private static final List<Attribute<Port>> IP_ALLOCATION_PORT = List.of(
            Attribute.text("ip_allocation", Port::ipAllocation).column("ip_allocation", TEXT));

    // --- binding: who binds the port where, seen and set by admins (vnic_type by the owner too).
    public static final Extension BINDING = new Extension("binding", "Port Binding",
            "Expose port bindings of a virtual port to external application", "2014-02-03T10:00:00-00:00");
    /** The vNIC types Neutron's portbindings API definition accepts; the shipped drivers bind "normal" only. */
    public static final Set<String> VNIC_TYPES = Set.of("normal", "direct", "direct-physical", "macvtap", "baremetal",
            "virtio-forwarder", "smart-nic", "vdpa", "remote-managed");
    private static final String READ_BINDING = "get_port:binding";
    private static final List<Attribute<Port>> BINDING_PORT = List.of(
            Attribute.<Port>text("binding:vnic_type", p -> p.binding().vnicType()).post().put().policed()
                    .defaultsTo("normal").validated(Validator.oneOf(VNIC_TYPES)).column("binding_vnic_type", TEXT),
            Attribute.<Port>text("binding:host_id", p -> p.binding().hostId()).post().put().policed()
                    .readableBy(READ_BINDING).column("binding_host_id", TEXT),
            Attribute.<Port>text("binding:vif_type", p -> p.binding().binding().vifType()).readableBy(READ_BINDING)
                    .column("binding_vif_type", TEXT),
            Attribute.<Port>readOnly("binding:vif_details", p -> Json.tree(p.binding().binding().vifDetails()))
                    .readableBy(READ_BINDING),
            Attribute.<Port>readOnly("binding:profile", p -> Json.tree(p.binding().profile())).post().put()
                    .policed().readableBy(READ_BINDING));

    public static final ResourceDefinition<Network> NETWORK = ResourceDefinition.of("network", "networks",
                    "network_network", List.of(
                            id(),
                            Attribute.<Network>text("name", Network::name).post().put().defaultsTo("").column("name", TEXT),
                            Attribute.<Network>bool("admin_state_up", Network::adminStateUp).post().put().defaultsTo(true)
                                    .column("admin_state_up", BOOLEAN),
                            Attribute.<Network>text("status", n -> "ACTIVE").column("'ACTIVE'", TEXT),
                            Attribute.<Network>bool("shared", Network::shared).post().put().defaultsTo(false).policed()
                                    .column("shared", BOOLEAN),
                            Attribute.<Network>readOnly("mtu", n -> IntNode.valueOf(n.mtu())).post().put()
                                    .validated(Validator.range(68, 9000)).column("mtu", INTEGER),
                            Attribute.<Network>readOnly("subnets", n -> strings(n.subnets()))
                                    .within(new Query.Within("network_subnet", "network_id", Map.of("", "id")))))
            .extendedBy(PORT_SECURITY, PORT_SECURITY_NETWORK)
            .extendedBy(PROVIDER, PROVIDER_NETWORK)
            .extendedBy(EXTERNAL_NET, EXTERNAL_NET_NETWORK)
            .withStandardAttributes(true);

    public static final ResourceDefinition<Subnet> SUBNET = ResourceDefinition.of("subnet", "subnets", "network_subnet",
                    List.of(
                            id(),
                            Attribute.<Subnet>text("name", Subnet::name).post().put().defaultsTo("").column("name", TEXT),
                            Attribute.<Subnet>text("network_id", Subnet::networkId).post().validated(Validator.uuid())
                                    .column("network_id", TEXT),
                            Attribute.<Subnet>readOnly("ip_version", s -> IntNode.valueOf(s.ipVersion())).post()
                                    .column("ip_version", INTEGER),
                            Attribute.<Subnet>text("cidr", Subnet::cidr).post().column("cidr", TEXT),
                            Attribute.<Subnet>bool("enable_dhcp", Subnet::enableDhcp).post().put().defaultsTo(true)
                                    .column("enable_dhcp", BOOLEAN),
                            Attribute.<Subnet>readOnly("subnetpool_id", s -> NullNode.instance),
                            Attribute.<Subnet>readOnly("gateway_ip", s -> optional(s.gatewayIp())).post().put()
                                    .column("COALESCE($.gateway_ip, '')", TEXT),
                            Attribute.<Subnet>readOnly("ipv6_ra_mode", s -> optional(s.ipv6RaMode())).post()
                                    .column("COALESCE($.ipv6_ra_mode, '')", TEXT),
                            Attribute.<Subnet>readOnly("ipv6_address_mode", s -> optional(s.ipv6AddressMode())).post()
                                    .column("COALESCE($.ipv6_address_mode, '')", TEXT),
                            Attribute.<Subnet>readOnly("allocation_pools", s -> objects(s.allocationPools(), p -> Json.object()
                                    .put("start", p.start()).put("end", p.end()))).post().put(),
                            Attribute.<Subnet>readOnly("dns_nameservers", s -> strings(s.dnsNameservers())).post().put(),
                            Attribute.<Subnet>readOnly("host_routes", s -> objects(s.hostRoutes(), r -> Json.object()
                                    .put("destination", r.destination()).put("nexthop", r.nexthop()))).post().put(),
                            Attribute.<Subnet>readOnly("service_types", s -> Json.array())))
            .withStandardAttributes(true);

    // --- trunk-details: a trunk's parent port shows its trunk (what a guest needs for its VLAN interfaces);
    // other ports leave the attribute out, as Neutron does.
    public static final Extension TRUNK_DETAILS = new Extension("trunk-details", "Trunk port details",
            "Expose trunk port details", "2016-01-01T10:00:00-00:00");
    private static final List<Attribute<Port>> TRUNK_DETAILS_PORT = List.of(
            Attribute.<Port>readOnly("trunk_details", p -> p.trunkDetails().<JsonNode>map(t -> {
                ObjectNode details = Json.object().put("trunk_id", t.trunkId());
                ArrayNode subPorts = details.putArray("sub_ports");
                t.subPorts().forEach(s -> subPorts.addObject().put("segmentation_id", s.segmentationId())
                        .put("segmentation_type", s.segmentationType()).put("port_id", s.portId())
                        .put("mac_address", s.macAddress()));
                return details;
            }).orElse(MissingNode.getInstance())));

    public static final ResourceDefinition<Port> PORT = ResourceDefinition.of("port", "ports", "network_port", List.of(
                    id(),
                    Attribute.<Port>text("name", Port::name).post().put().defaultsTo("").column("name", TEXT),
                    Attribute.<Port>text("network_id", Port::networkId).post().validated(Validator.uuid())
                            .column("network_id", TEXT),
                    Attribute.<Port>text("mac_address", Port::macAddress).post().policed().column("mac_address", TEXT),
                    Attribute.<Port>bool("admin_state_up", Port::adminStateUp).post().put().defaultsTo(true)
                            .column("admin_state_up", BOOLEAN),
                    Attribute.<Port>text("status", Port::status).column("status", TEXT),
                    Attribute.<Port>text("device_id", Port::deviceId).post().put().defaultsTo("").column("device_id", TEXT),
                    Attribute.<Port>text("device_owner", Port::deviceOwner).post().put().defaultsTo("")
                            .column("device_owner", TEXT),
                    Attribute.<Port>readOnly("fixed_ips", p -> objects(p.fixedIps(), ip -> Json.object()
                                    .put("subnet_id", ip.subnetId()).put("ip_address", ip.ipAddress()))).post().put()
                            .within(new Query.Within("network_ip_allocation", "port_id",
                                    Map.of("ip_address", "ip_address", "subnet_id", "subnet_id"))
                                    .matchingPart("ip_address_substr", "ip_address"))))
            .extendedBy(IP_ALLOCATION, IP_ALLOCATION_PORT)
            .extendedBy(PORT_SECURITY, PORT_SECURITY_PORT)
            .extendedBy(SECURITY_GROUP_EXTENSION, SECURITY_GROUP_PORT)
            .extendedBy(ALLOWED_ADDRESS_PAIRS, ALLOWED_ADDRESS_PAIRS_PORT)
            .extendedBy(ALLOWED_ETHERTYPES, ALLOWED_ETHERTYPES_PORT)
            .extendedBy(BINDING, BINDING_PORT)
            .extendedBy(TRUNK_DETAILS, TRUNK_DETAILS_PORT)
            .withStandardAttributes(true);

    public static final ResourceDefinition<SecurityGroupRule> SECURITY_GROUP_RULE = ResourceDefinition.of(
                    "security_group_rule", "security_group_rules", "network_security_group_rule", List.of(
                            id(),
                            Attribute.<SecurityGroupRule>text("security_group_id", SecurityGroupRule::securityGroupId).post()
                                    .validated(Validator.uuid()).column("security_group_id", TEXT),
                            Attribute.<SecurityGroupRule>text("direction", SecurityGroupRule::direction).post()
                                    .column("direction", TEXT),
                            Attribute.<SecurityGroupRule>text("ethertype", SecurityGroupRule::ethertype).post()
                                    .column("ethertype", TEXT),
                            Attribute.<SecurityGroupRule>readOnly("protocol", r -> optional(r.protocol())).post()
                                    .column("COALESCE($.protocol, '')", TEXT),
                            Attribute.<SecurityGroupRule>readOnly("port_range_min", r -> optionalInt(r.portRangeMin())).post()
                                    .column("COALESCE($.port_range_min, -1)", INTEGER),
                            Attribute.<SecurityGroupRule>readOnly("port_range_max", r -> optionalInt(r.portRangeMax())).post()
                                    .column("COALESCE($.port_range_max, -1)", INTEGER),
                            Attribute.<SecurityGroupRule>readOnly("remote_ip_prefix", r -> optional(r.remoteIpPrefix())).post()
                                    .column("COALESCE($.remote_ip_prefix, '')", TEXT),
                            Attribute.<SecurityGroupRule>readOnly("remote_group_id", r -> optional(r.remoteGroupId())).post()
                                    .column("COALESCE($.remote_group_id, '')", TEXT),
                            Attribute.<SecurityGroupRule>readOnly("remote_address_group_id", r -> NullNode.instance)))
            .withStandardAttributes(false)
            .withoutUpdates();

    public static final ResourceDefinition<SecurityGroup> SECURITY_GROUP = ResourceDefinition.of(
                    "security_group", "security_groups", "network_security_group", List.of(
                            id(),
                            Attribute.<SecurityGroup>text("name", SecurityGroup::name).post().put().defaultsTo("")
                                    .column("name", TEXT),
                            Attribute.<SecurityGroup>bool("stateful", SecurityGroup::stateful).post().defaultsTo(true)
                                    .column("stateful", BOOLEAN),
                            Attribute.<SecurityGroup>bool("shared", g -> false).column("FALSE", BOOLEAN),
                            Attribute.<SecurityGroup>readOnly("security_group_rules", g -> {
                                ArrayNode rules = Json.array();
                                g.rules().forEach(r -> rules.add(SECURITY_GROUP_RULE.render(r, List.of(), rule -> true)));
                                return rules;
                            })))
            .withStandardAttributes(true);

    // --- trunk: a parent port and sub-ports that travel on its link tagged (VLAN-aware instances).
    public static final Extension TRUNK_EXTENSION = new Extension("trunk", "Trunk Extension",
            "Provides support for trunk ports", "2016-01-01T10:00:00-00:00");
    private static final List<Attribute<Trunk>> TRUNK_ATTRIBUTES = List.of(
            Attribute.<Trunk>text("name", Trunk::name).post().put().defaultsTo("").column("name", TEXT),
            Attribute.<Trunk>bool("admin_state_up", Trunk::adminStateUp).post().put().defaultsTo(true)
                    .column("admin_state_up", BOOLEAN),
            Attribute.<Trunk>text("status", Trunk::status).column("status", TEXT),
            Attribute.<Trunk>text("port_id", Trunk::portId).post().validated(Validator.uuid()).column("port_id", TEXT),
            // Changed only by the add_subports and remove_subports actions, as in Neutron.
            Attribute.<Trunk>readOnly("sub_ports", t -> objects(t.subPorts(), s -> Json.object()
                    .put("segmentation_id", s.segmentationId()).put("segmentation_type", s.segmentationType())
                    .put("port_id", s.portId()))).post().defaultsTo(Json.array()).validated(SubPortRequests.validator()));
    public static final ResourceDefinition<Trunk> TRUNK = ResourceDefinition.of("trunk", "trunks", "network_trunk",
                    List.of(Definitions.<Trunk>id()))
            .extendedBy(TRUNK_EXTENSION, TRUNK_ATTRIBUTES)
            .withStandardAttributes(true);

    // --- router, ext-gw-mode (a gateway's enable_snat), extraroute (routes) and extraroute-atomic (its actions).
    public static final Extension ROUTER_EXTENSION = new Extension("router", "Neutron L3 Router",
            "Router abstraction for basic L3 forwarding between L2 Neutron networks and access to external networks"
                    + " via a NAT gateway.", "2012-07-20T10:00:00-00:00");
    public static final Extension EXT_GW_MODE = new Extension("ext-gw-mode",
            "Neutron L3 Configurable external gateway mode", "Extension of the router abstraction for specifying"
                    + " whether SNAT should occur on the external gateway", "2013-03-28T10:00:00-00:00");
    public static final Extension EXTRAROUTE = new Extension("extraroute", "Neutron Extra Route",
            "Extra routes configuration for L3 router", "2013-02-01T10:00:00-00:00");
    public static final Extension EXTRAROUTE_ATOMIC = new Extension("extraroute-atomic",
            "Atomically add/remove extra routes", "Edit extra routes of a router on server side by atomically"
                    + " adding/removing extra routes", "2019-07-10T00:00:00+00:00");
    private static final List<Attribute<Router>> ROUTER_ATTRIBUTES = List.of(
            Attribute.<Router>text("name", Router::name).post().put().defaultsTo("").column("name", TEXT),
            Attribute.<Router>bool("admin_state_up", Router::adminStateUp).post().put().defaultsTo(true)
                    .column("admin_state_up", BOOLEAN),
            Attribute.<Router>text("status", Router::status).column("status", TEXT),
            Attribute.<Router>readOnly("external_gateway_info", r -> r.gateway().<JsonNode>map(g -> {
                ObjectNode info = Json.object().put("network_id", g.networkId()).put("enable_snat", g.enableSnat());
                ArrayNode ips = info.putArray("external_fixed_ips");
                g.externalFixedIps().forEach(ip -> ips.addObject().put("subnet_id", ip.subnetId())
                        .put("ip_address", ip.ipAddress()));
                return info;
            }).orElse(NullNode.instance)).post().put());
    private static final List<Attribute<Router>> EXTRAROUTE_ROUTER = List.of(
            Attribute.<Router>readOnly("routes", r -> objects(r.routes(), route -> Json.object()
                    .put("destination", route.destination()).put("nexthop", route.nexthop()))).put());
    public static final ResourceDefinition<Router> ROUTER = ResourceDefinition.of("router", "routers", "network_router",
                    List.of(Definitions.<Router>id()))
            .extendedBy(ROUTER_EXTENSION, ROUTER_ATTRIBUTES)
            .extendedBy(EXT_GW_MODE, List.of())
            .extendedBy(EXTRAROUTE, EXTRAROUTE_ROUTER)
            .withStandardAttributes(true);

    // --- floating IPs, part of the router extension in Neutron.
    public static final ResourceDefinition<FloatingIp> FLOATINGIP = ResourceDefinition.of("floatingip", "floatingips",
                    "network_floatingip", List.of(
                            Definitions.<FloatingIp>id(),
                            Attribute.<FloatingIp>text("floating_ip_address", FloatingIp::floatingIpAddress).post()
                                    .policed().column("floating_ip_address", TEXT),
                            Attribute.<FloatingIp>text("floating_network_id", FloatingIp::floatingNetworkId).post()
                                    .validated(Validator.uuid()).column("floating_network_id", TEXT),
                            // Chooses the subnet of the address on create; not shown, as in Neutron.
                            Attribute.<FloatingIp>readOnly("subnet_id", f -> MissingNode.getInstance()).post()
                                    .validated(Validator.uuid()),
                            Attribute.<FloatingIp>readOnly("router_id", f -> optional(f.association()
                                    .map(FloatingIp.Association::routerId))).column("COALESCE($.router_id, '')", TEXT),
                            Attribute.<FloatingIp>readOnly("port_id", f -> optional(f.association()
                                    .map(FloatingIp.Association::portId))).post().put().validated(Validator.uuid())
                                    .column("COALESCE($.fixed_port_id, '')", TEXT),
                            Attribute.<FloatingIp>readOnly("fixed_ip_address", f -> optional(f.association()
                                    .map(FloatingIp.Association::fixedIpAddress))).post().put()
                                    .column("COALESCE($.fixed_ip_address, '')", TEXT),
                            Attribute.<FloatingIp>text("status", FloatingIp::status).column("status", TEXT)))
            .withStandardAttributes(true);

    /** Every resource definition, for what is generated from all of them. */
    public static final List<ResourceDefinition<?>> RESOURCES = List.of(NETWORK, SUBNET, PORT, SECURITY_GROUP,
            SECURITY_GROUP_RULE, TRUNK, ROUTER, FLOATINGIP);

    /**
     * What {@code GET /v2.0/extensions} lists: the extensions whose attributes the definitions carry,
     * and those that are resources or behaviours of the API - nothing a client cannot use.
     */
    public static final List<Extension> LOADED = java.util.stream.Stream.concat(
                    RESOURCES.stream().flatMap(r -> r.extensions().stream()),
                    java.util.stream.Stream.of(SECURITY_GROUP_EXTENSION, QUOTAS, QUOTA_DETAILS, BINDING_EXTENDED,
                            REVISION_IF_MATCH, FIELDS, PAGINATION, SORTING, IP_SUBSTRING_FILTERING, EXTRAROUTE_ATOMIC))
            .distinct().sorted(java.util.Comparator.comparing(Extension::alias)).toList();

    public static Optional<Extension> find(String alias) {
        return LOADED.stream().filter(e -> e.alias().equals(alias)).findFirst();
    }

    public static ArrayNode renderExtensions() {
        ArrayNode all = Json.array();
        LOADED.forEach(e -> all.add(e.render()));
        return all;
    }

    private static <T extends StandardResource> Attribute<T> id() {
        return Attribute.<T>text("id", StandardResource::id).column("id", TEXT);
    }

    private static ArrayNode strings(List<String> values) {
        ArrayNode array = Json.array();
        values.forEach(array::add);
        return array;
    }

    private static <V> ArrayNode objects(List<V> values, Function<V, JsonNode> each) {
        ArrayNode array = Json.array();
        values.forEach(v -> array.add(each.apply(v)));
        return array;
    }

    private static JsonNode optional(Optional<String> value) {
        return value.<JsonNode>map(TextNode::valueOf).orElse(NullNode.instance);
    }

    private static JsonNode optionalInt(Optional<Integer> value) {
        return value.<JsonNode>map(IntNode::valueOf).orElse(NullNode.instance);
    }

    // An ethertype filter as the API writes it ("0x8847"); anything else matches nothing.
    private static Object ethertypeValue(String text) {
        try {
            return text.toLowerCase(java.util.Locale.ROOT).startsWith("0x") ? Integer.parseInt(text.substring(2), 16) : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
