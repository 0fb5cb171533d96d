package dev.portside.network;

import dev.portside.common.db.Database;
import dev.portside.common.http.ErrorFormat;
import dev.portside.common.policy.Policy;
import dev.portside.network.api.Listing;
import dev.portside.network.api.ResourceApi;
import dev.portside.network.api.ServiceContext;
import dev.portside.network.binding.MechanismDriver;
import dev.portside.network.binding.PortBinder;
import dev.portside.network.change.Transactions;
import dev.portside.network.firewall.FilterSettings;
import dev.portside.network.firewall.FirewallSync;
import dev.portside.network.firewall.HostFirewall;
import dev.portside.network.ipam.Ipam;
import dev.portside.network.l3.FloatingIpService;
import dev.portside.network.l3.FloatingIpStore;
import dev.portside.network.l3.Router;
import dev.portside.network.l3.RouterActionsApi;
import dev.portside.network.l3.RouterService;
import dev.portside.network.l3.RouterStore;
import dev.portside.network.l3.RouterSync;
import dev.portside.network.l3.RouterWiring;
import dev.portside.network.net.NetworkService;
import dev.portside.network.net.NetworkStore;
import dev.portside.network.port.ComputeNotifier;
import dev.portside.network.port.MacAddresses;
import dev.portside.network.port.PortBindingsApi;
import dev.portside.network.port.PortEvents;
import dev.portside.network.port.PortService;
import dev.portside.network.port.PortStatus;
import dev.portside.network.port.PortStore;
import dev.portside.network.quota.NetworkQuotas;
import dev.portside.network.quota.QuotaApi;
import dev.portside.network.secgroup.SecurityGroupRuleService;
import dev.portside.network.secgroup.SecurityGroupService;
import dev.portside.network.secgroup.SecurityGroupStore;
import dev.portside.network.secgroup.SecurityGroups;
import dev.portside.network.subnet.SubnetService;
import dev.portside.network.subnet.SubnetStore;
import dev.portside.network.trunk.Trunk;
import dev.portside.network.trunk.TrunkActionsApi;
import dev.portside.network.trunk.TrunkRules;
import dev.portside.network.trunk.TrunkService;
import dev.portside.network.trunk.TrunkStore;
import dev.portside.network.trunk.TrunkSync;
import dev.portside.network.trunk.TrunkWiring;
import io.javalin.Javalin;

import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The network service, wired: its schema and its routes. */
public final class Networking {
    /**
     * Where clients reach it, Neutron's base_mac, the MTU of new networks, which mechanism drivers
     * bind ports on which hosts (by driver name; hosts not named use {@code defaultDrivers}), policy
     * overrides, and how the host filters ports.
     */
    public record Settings(String publicUrl, String baseMac, int defaultMtu, Map<String, List<String>> hostDrivers,
                           List<String> defaultDrivers, Map<String, String> policyOverrides, FilterSettings filtering,
                           dev.portside.network.net.PhysicalNetworks physicalNetworks) {
        public static final String NEUTRON_BASE_MAC = "fa:16:3e:00:00:00";
        public static final List<String> DEFAULT_DRIVERS = List.of("linuxbridge");
    }

    private final NetworkingApi api;
    private final PortStatus portStatus;
    private final FirewallSync firewallSync;
    private final TrunkSync trunkSync;
    private final org.jdbi.v3.core.Jdbi jdbi;
    private final Transactions tx;
    private final PortStore portStore;
    private final SecurityGroupStore groupStore;
    private final NetworkService networks;
    private final SubnetService subnets;
    private final PortService ports;
    private final SecurityGroupService securityGroups;
    private final SecurityGroupRuleService securityGroupRules;
    private final TrunkService trunks;
    private final RouterSync routerSync;
    private final RouterService routers;
    private final FloatingIpService floatingIps;

    public Networking(Database database, Settings settings, Clock clock) {
        this(database, settings, PortEvents.NONE, HostFirewall.NONE, clock);
    }

    public Networking(Database database, Settings settings, PortEvents events, HostFirewall firewall, Clock clock) {
        this(database, settings, events, firewall, TrunkWiring.NONE, clock);
    }

    /**
     * {@code events} is told when a server's port comes up or goes down (Neutron's Nova notifier);
     * {@code firewall} enforces port security on this host's ports; {@code trunkWiring} puts trunks'
     * sub-ports on their parents' devices.
     */
    public Networking(Database database, Settings settings, PortEvents events, HostFirewall firewall,
                      TrunkWiring trunkWiring, Clock clock) {
        this(database, settings, events, firewall, trunkWiring, RouterWiring.NONE, clock);
    }

    /** ... and {@code routerWiring} makes routers real (namespaces with their interfaces, routes and NAT). */
    public Networking(Database database, Settings settings, PortEvents events, HostFirewall firewall,
                      TrunkWiring trunkWiring, RouterWiring routerWiring, Clock clock) {
        database.migrate("network");
        this.jdbi = database.jdbi();
        Transactions tx = new Transactions(jdbi);
        this.tx = tx;
        Policy policy = Policy.of(NetworkPolicy.DEFAULTS, settings.policyOverrides());
        NetworkStore networkStore = new NetworkStore();
        SubnetStore subnetStore = new SubnetStore();
        PortStore portStore = new PortStore();
        this.portStore = portStore;
        SecurityGroupStore groupStore = new SecurityGroupStore();
        this.groupStore = groupStore;
        TrunkStore trunkStore = new TrunkStore();
        TrunkRules trunkRules = new TrunkRules(trunkStore, networkStore);
        RouterStore routerStore = new RouterStore();
        FloatingIpStore floatingIpStore = new FloatingIpStore();
        Ipam ipam = new Ipam();
        SecurityGroups securityGroups = new SecurityGroups(groupStore, policy, clock);
        Tags tags = new Tags();
        PortBinder binder = binder(settings);
        this.portStatus = new PortStatus(tx, portStore, clock);
        // Post-commit work, in order: the host's filtering first, so a port's rules are in force before
        // its trunk's sub-ports are wired, and both before compute hears that the port is up.
        this.firewallSync = new FirewallSync(jdbi, portStore, groupStore, firewall, settings.filtering());
        tx.subscribe(firewallSync);
        this.trunkSync = new TrunkSync(tx, trunkStore, portStore, portStatus, trunkWiring, clock);
        tx.subscribe(trunkSync);
        this.routerSync = new RouterSync(tx, routerStore, floatingIpStore, portStatus, routerWiring);
        tx.subscribe(routerSync);
        tx.subscribe(new ComputeNotifier(events));
        ServiceContext context = new ServiceContext(tx, tags, new NetworkQuotas(), new Listing(database.isPostgres()),
                policy, clock);
        this.networks = new NetworkService(context, networkStore, subnetStore, portStore, routerStore,
                settings.defaultMtu(), settings.physicalNetworks());
        this.subnets = new SubnetService(context, subnetStore, networkStore, portStore, ipam);
        this.ports = new PortService(context, portStore, networkStore, subnetStore, ipam,
                new MacAddresses(settings.baseMac()), binder, securityGroups, trunkRules, floatingIpStore);
        SecurityGroupService groups = new SecurityGroupService(context, groupStore, securityGroups);
        this.securityGroups = groups;
        SecurityGroupRuleService rules = new SecurityGroupRuleService(context, groupStore, securityGroups);
        this.securityGroupRules = rules;
        this.trunks = new TrunkService(context, trunkStore, trunkRules, ports);
        this.routers = new RouterService(context, routerStore, floatingIpStore, networkStore, subnetStore, subnets,
                portStore, ports);
        this.floatingIps = new FloatingIpService(context, floatingIpStore, routerStore, networkStore, subnetStore, ports);
        String url = settings.publicUrl();
        ResourceApi<Trunk> trunkApi = new ResourceApi<>(trunks, tx, jdbi, tags, policy, url);
        ResourceApi<Router> routerApi = new ResourceApi<>(routers, tx, jdbi, tags, policy, url);
        this.api = new NetworkingApi(new VersionApi(url),
                List.of(new ResourceApi<>(networks, tx, jdbi, tags, policy, url), new ResourceApi<>(subnets, tx, jdbi, tags, policy, url),
                        new ResourceApi<>(ports, tx, jdbi, tags, policy, url), new ResourceApi<>(groups, tx, jdbi, tags, policy, url),
                        new ResourceApi<>(rules, tx, jdbi, tags, policy, url), trunkApi, routerApi,
                        new ResourceApi<>(floatingIps, tx, jdbi, tags, policy, url)),
                new PortBindingsApi(tx, portStore, ports, binder, policy, clock),
                new TrunkActionsApi(trunks, trunkApi),
                new RouterActionsApi(routers, routerApi),
                new TagApi(jdbi, tags, Map.of("networks", networks::authorizeTags, "subnets", subnets::authorizeTags,
                        "ports", ports::authorizeTags, "security-groups", groups::authorizeTags,
                        "trunks", trunks::authorizeTags, "routers", routers::authorizeTags,
                        "floatingips", floatingIps::authorizeTags)),
                new QuotaApi(jdbi, context.quotas(), policy));
    }

    private static PortBinder binder(Settings settings) {
        Map<String, MechanismDriver> shipped = PortBinder.shipped();
        java.util.function.Function<List<String>, List<MechanismDriver>> drivers = names -> names.stream()
                .map(name -> Optional.ofNullable(shipped.get(name)).orElseThrow(() -> new IllegalArgumentException(
                        "unknown mechanism driver '" + name + "'; Portside ships " + new java.util.TreeSet<>(shipped.keySet()))))
                .toList();
        Map<String, List<MechanismDriver>> byHost = new java.util.HashMap<>();
        settings.hostDrivers().forEach((host, names) -> byHost.put(host, drivers.apply(names)));
        return new PortBinder(byHost, drivers.apply(settings.defaultDrivers()));
    }

    /** Ports, for callers in the same process (compute's network client): the same checks as over HTTP. */
    public PortService ports() {
        return ports;
    }

    public NetworkService networks() {
        return networks;
    }

    public SubnetService subnets() {
        return subnets;
    }

    public SecurityGroupService securityGroups() {
        return securityGroups;
    }

    public SecurityGroupRuleService securityGroupRules() {
        return securityGroupRules;
    }

    public TrunkService trunks() {
        return trunks;
    }

    /**
     * Adds work to do after each commit, after the network service's own (a controller of several
     * hosts tells them their ports changed).
     */
    public void subscribe(dev.portside.network.change.ChangeListener listener) {
        tx.subscribe(listener);
    }

    /** The filters of the ports bound to one compute host, as the database says now. */
    public List<dev.portside.network.firewall.PortFilter> portFilters(String host) {
        return jdbi.withHandle(h -> dev.portside.network.firewall.Filters.on(host, portStore.all(h),
                groupStore.allRules(h)));
    }

    /** A port bound to a host on a VXLAN network: what the other hosts of the network need to reach it. */
    public record TunnelEndpoint(String networkId, int vni, String host, String macAddress) {
    }

    /** Every port bound to a host on a VXLAN network. */
    public List<TunnelEndpoint> tunnelEndpoints() {
        return jdbi.withHandle(h -> h.createQuery("SELECT p.network_id, n.segmentation_id, p.binding_host_id, p.mac_address"
                        + " FROM network_port p JOIN network_network n ON n.id = p.network_id"
                        + " WHERE n.network_type = :vxlan AND p.binding_host_id <> ''")
                .bind("vxlan", dev.portside.network.net.Segment.VXLAN)
                .map((rs, ctx) -> new TunnelEndpoint(rs.getString("network_id"), rs.getInt("segmentation_id"),
                        rs.getString("binding_host_id"), rs.getString("mac_address")))
                .list());
    }

    /** Applies the port filtering the database says, as at start-up (the host may have lost it). */
    public void resyncFirewall() {
        firewallSync.sync();
    }

    /**
     * What /metrics shows of the network service: ports by status and ip_allocation (read from the
     * database at each scrape), the host's port filtering applies, and what each port's filter dropped.
     */
    public List<io.prometheus.metrics.model.registry.Collector> metrics() {
        var ports = io.prometheus.metrics.core.metrics.GaugeWithCallback.builder().name("portside_ports")
                .help("Ports by status and ip_allocation (none: unaddressed)").labelNames("status", "ip_allocation")
                .callback(gauge -> jdbi.useHandle(h -> h.createQuery("SELECT status, ip_allocation, COUNT(*) AS n"
                                + " FROM network_port GROUP BY status, ip_allocation")
                        .map((rs, c) -> {
                            gauge.call(rs.getLong("n"), rs.getString("status"), rs.getString("ip_allocation"));
                            return true;
                        }).list()))
                .build();
        return List.of(ports, firewallSync.filtering().applies(), firewallSync.filtering().drops());
    }

    /** What each port's filter on this host dropped, by port id, then by direction and reason ({@code egress_mac}). */
    public Map<String, Map<String, Long>> droppedPackets() {
        return firewallSync.filtering().dropped();
    }

    public RouterService routers() {
        return routers;
    }

    public FloatingIpService floatingIps() {
        return floatingIps;
    }

    /**
     * Makes every router as the database says and removes the host's others: at start-up, after the
     * instances are back (a router's interface then takes its gateway address from the host's bridge).
     */
    public void resyncRouters() {
        routerSync.resync();
    }

    /** Wires every trunk's sub-ports as the database says: at start-up, once the instances are back. */
    public void resyncTrunks() {
        trunkSync.resync();
    }

    /** Where host agents report devices up and down. */
    public PortStatus portStatus() {
        return portStatus;
    }

    public ErrorFormat errors() {
        return new NeutronErrors();
    }

    public void register(Javalin app) {
        api.register(app);
    }
}
