package dev.portside.app;

import dev.portside.common.db.Database;
import dev.portside.common.http.ApiServer;
import dev.portside.common.policy.Policy;
import dev.portside.identity.Identity;
import dev.portside.identity.catalog.Catalog;
import dev.portside.compute.Compute;
import dev.portside.compute.scheduler.Scheduler;
import dev.portside.compute.server.ComputeManager;
import dev.portside.compute.server.ExternalEvents;
import dev.portside.agent.Bridges;
import dev.portside.agent.DeviceCounters;
import dev.portside.agent.HostCommands;
import dev.portside.agent.Instances;
import dev.portside.agent.Routers;
import dev.portside.agent.Trunks;
import dev.portside.agent.VlanPrograms;
import dev.portside.agent.qemu.Acceleration;
import dev.portside.agent.qemu.Machines;
import dev.portside.app.hosts.ComputeHosts;
import dev.portside.app.hosts.RemoteHosts;
import dev.portside.app.messaging.Bus;
import dev.portside.compute.virt.HostDrivers;
import dev.portside.network.port.PortEvents;
import dev.portside.compute.virt.QemuDriver;
import dev.portside.compute.virt.FakeDriver;
import dev.portside.compute.virt.NamespaceDriver;
import dev.portside.compute.virt.PortAgent;
import dev.portside.compute.virt.VirtDriver;
import dev.portside.image.Imaging;
import dev.portside.network.Networking;
import dev.portside.network.firewall.HostFirewall;
import dev.portside.network.l3.RouterWiring;
import dev.portside.network.trunk.TrunkWiring;
import dev.portside.operator.Operator;
import dev.portside.operator.PortCounters;
import dev.portside.common.metrics.RequestMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.javalin.util.JavalinBindException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The all-in-one Portside: one database, every service on its own port, wired with constructors.
 * Closing it stops the servers and then the database.
 */
public final class Portside implements AutoCloseable {
    private static final String QEMU = "qemu-system-x86_64";
    private static final Logger LOG = LoggerFactory.getLogger(Portside.class);
    private static final long MAX_BODY_BYTES = 1024 * 1024;
    // Linux bridges on one host carry full Ethernet frames: no tunnel overhead to subtract.
    private static final int NETWORK_MTU = 1500;
    // Nova's scheduler max_attempts default: the first host and two alternates.
    private static final int BUILD_ATTEMPTS = 3;
    // A controller started before its broker waits this long for it.
    private static final java.time.Duration BROKER_PATIENCE = java.time.Duration.ofSeconds(60);
    // Hosts' reports and questions are answered this many at a time.
    private static final int CONTROLLER_HANDLERS = 8;

    private final Database database;
    private final List<ApiServer> servers;
    // The operator's endpoints (/metrics, /healthz): not one of the OpenStack APIs, so not in servers.
    private final Optional<ApiServer> operatorServer;
    private final Compute compute;
    private final VirtDriver driver;
    private final Path openrc;
    // A controller's connection to its compute hosts; none for the all-in-one.
    private final Optional<Bus> bus;

    private Portside(Database database, List<ApiServer> servers, Optional<ApiServer> operatorServer, Compute compute,
                     VirtDriver driver, Path openrc, Optional<Bus> bus) {
        this.bus = bus;
        this.database = database;
        this.servers = servers;
        this.operatorServer = operatorServer;
        this.compute = compute;
        this.driver = driver;
        this.openrc = openrc;
    }

    public static Portside start(Settings settings, Clock clock) {
        Path dataDir = DataDir.prepare(settings.dataDir());
        Map<String, String> policy = readPolicy(settings);
        return start(settings, clock, openDatabase(settings), dataDir, policy);
    }

    /** On a database that is already open (the functional tests' own); closing Portside closes it. */
    static Portside start(Settings settings, Clock clock, Database database) {
        return start(settings, clock, database, DataDir.prepare(settings.dataDir()), readPolicy(settings));
    }

    private static Portside start(Settings settings, Clock clock, Database database, Path dataDir,
                                  Map<String, String> policy) {
        List<ApiServer> servers = new ArrayList<>();
        Optional<ApiServer> operatorServer = Optional.empty();
        Compute compute = null;
        // A controller reaches its compute hosts through the broker; the all-in-one's hosts are in this process.
        Optional<Bus> bus = settings.transportUrl().map(url -> Bus.connect(url, "portside-controller",
                BROKER_PATIENCE, CONTROLLER_HANDLERS));
        // Every service's metrics, in one registry that the operator's /metrics exposes.
        PrometheusRegistry metrics = new PrometheusRegistry();
        RequestMetrics requests = RequestMetrics.registeredIn(metrics);
        try {
            Catalog catalog = new Catalog(settings.region(), List.of(
                    new Catalog.Service("identity", "keystone", settings.identityUrl() + "/v3"),
                    new Catalog.Service("network", "neutron", settings.networkUrl()),
                    new Catalog.Service("image", "glance", settings.imageUrl()),
                    new Catalog.Service("compute", "nova", settings.computeUrl() + "/v2.1")));
            Identity identity = new Identity(database, new Identity.Settings(settings.identityUrl(),
                    settings.tokenLifetime(), settings.passwordHashRounds(), catalog, policy), clock);
            Path openrc = dataDir.resolve("openrc");
            var admin = identity.bootstrap();
            if (admin.isPresent()) {
                Openrc.write(openrc, admin.get(), settings.identityUrl(), settings.region());
            }
            servers.add(start(new ApiServer(new ApiServer.Settings("identity", settings.bind(), settings.identityPort(),
                    MAX_BODY_BYTES), identity.errors(), identity.tokens(), identity::register, requests)));
            // The network service tells compute when a server's port comes up (Neutron's Nova notifier);
            // compute is made after it, so the notifier finds it through this reference.
            AtomicReference<ExternalEvents> computeEvents = new AtomicReference<>();
            DriverChoice kinds = bus.isPresent() ? DriverChoice.REMOTE : DriverChoice.of(settings.computeDriver());
            if (bus.isPresent()) {
                LOG.info("compute: a controller; instances run on the compute hosts that report to it");
            } else if (kinds.fake()) {
                LOG.info("compute: the fake driver, no real instances ({})", kinds.why());
            } else {
                LOG.info("compute: real instances: {}{}", kinds.namespaces() && kinds.qemu()
                        ? "network namespaces and QEMU virtual machines" : kinds.qemu() ? "QEMU virtual machines"
                        : "network namespaces", kinds.why().isEmpty() ? "" : " (" + kinds.why() + ")");
            }
            HostCommands host = new HostCommands();
            // Port security is enforced on the host whose instances are real; fake hosts have nothing to filter.
            HostFirewall firewall = !kinds.fake() ? new NftHostFirewall(host) : HostFirewall.NONE;
            Bridges bridges = new Bridges(host, settings.filtering().macAgeing(), settings.physicalInterfaceMappings());
            // Trunks' sub-ports are wired on the host's instances' devices; the wiring reads ports through
            // compute's network client, made once the network service is.
            AtomicReference<LocalNetworkClient> networkClient = new AtomicReference<>();
            Optional<LocalTrunkWiring> trunkWiring = kinds.fake() ? Optional.empty()
                    : Optional.of(new LocalTrunkWiring(networkClient::get, new Trunks(host, bridges,
                            new VlanPrograms(host, dataDir.resolve("vlan-programs")))));
            // Routers are namespaces on this host, wired as trunks are.
            Optional<LocalRouterWiring> routerWiring = kinds.fake() ? Optional.empty()
                    : Optional.of(new LocalRouterWiring(networkClient::get, new Routers(host, bridges)));
            PortEvents localEvents = (event, serverId, portId) -> Optional.ofNullable(computeEvents.get())
                    .ifPresent(events -> events.deliver(event, serverId, portId, "completed"));
            Networking networking = new Networking(database, new Networking.Settings(settings.networkUrl(),
                    settings.baseMac(), NETWORK_MTU, settings.hostMechanismDrivers(), settings.mechanismDrivers(), policy,
                    settings.filtering(), settings.physicalNetworks()),
                    bus.isPresent() ? ComputeHosts.broadcastingOn(bus.get()) : localEvents,
                    firewall, trunkWiring.isPresent() ? trunkWiring.get() : TrunkWiring.NONE,
                    routerWiring.isPresent() ? routerWiring.get() : RouterWiring.NONE, clock);
            networkClient.set(new LocalNetworkClient(networking));
            admin.filter(credentials -> bus.isEmpty()).ifPresent(credentials -> settings.publicNetworkCidr().ifPresent(cidr ->
                    PublicNetwork.create(networking, credentials.projectId(), cidr)));
            networking.resyncFirewall();
            servers.add(start(new ApiServer(new ApiServer.Settings("network", settings.bind(), settings.networkPort(),
                    MAX_BODY_BYTES), networking.errors(), identity.tokens(), networking::register, requests)));
            Imaging imaging = new Imaging(database, new Imaging.Settings(settings.imageUrl(), dataDir.resolve("images"),
                    Imaging.Settings.DEFAULT_SIZE_CAP, policy, project -> identity.limits().effective("image", project)),
                    clock);
            int requeued = imaging.images().recover();
            if (requeued > 0) {
                LOG.info("{} image uploads interrupted by a stop went back to queued", requeued);
            }
            admin.ifPresent(credentials -> imaging.images().bootstrap(credentials.projectId(), DefaultImage.NAME,
                    "public", DefaultImage.PROPERTIES, DefaultImage.data()));
            servers.add(start(new ApiServer(new ApiServer.Settings("image", settings.bind(), settings.imagePort(),
                    MAX_BODY_BYTES), imaging.errors(), identity.tokens(), imaging::register, requests)));
            VirtDriver driver = bus.isPresent() ? new RemoteHosts(bus.get(), settings.rpcResponseTimeout())
                    : kinds.fake() ? new FakeDriver(settings.fakeHosts(), agent(networking))
                    : realDrivers(kinds, settings, host, bridges, agent(networking));
            compute = new Compute(database, new Compute.Settings(settings.computeUrl(),
                    new ComputeManager.Settings(settings.vifPluggingTimeout(), BUILD_ATTEMPTS, dataDir.resolve("snapshots"),
                            settings.reclaimInstanceInterval()),
                    Scheduler.AllocationRatios.NOVA, policy, settings.serviceDownTime()), networkClient.get(),
                    new LocalImageClient(imaging.images(), settings.imageUrl()), driver, clock);
            computeEvents.set(compute.events());
            Compute made = compute;
            bus.ifPresent(b -> new ComputeHosts(b, networking, made).start());
            // The instances are back (compute recovered them): their trunks' VLANs can be wired again.
            trunkWiring.ifPresent(LocalTrunkWiring::removeOrphans);
            networking.resyncTrunks();
            // Routers last: an interface takes its gateway address from the bridge the instances brought back.
            networking.resyncRouters();
            servers.add(start(new ApiServer(new ApiServer.Settings("compute", settings.bind(), settings.computePort(),
                    MAX_BODY_BYTES), compute.errors(), identity.tokens(), compute::register, requests)));
            networking.metrics().forEach(metrics::register);
            compute.metrics().forEach(metrics::register);
            if (settings.operator().isPresent()) {
                Settings.OperatorEndpoint endpoint = settings.operator().get();
                Operator operator = new Operator(metrics, database, Map.of(
                        "identity", URI.create(settings.identityUrl()), "network", URI.create(settings.networkUrl()),
                        "compute", URI.create(settings.computeUrl())),
                        kinds.fake() ? PortCounters.NONE : new LocalPortCounters(new DeviceCounters(), networking),
                        clock);
                operatorServer = Optional.of(start(new ApiServer(new ApiServer.Settings("operator", endpoint.bind(),
                        endpoint.port(), MAX_BODY_BYTES), operator.errors(), identity.tokens(), operator::register,
                        requests)));
            }
            DataDir.seal(dataDir);
            return new Portside(database, List.copyOf(servers), operatorServer, compute, driver, openrc, bus);
        } catch (RuntimeException | IOException e) {
            servers.forEach(ApiServer::close);
            operatorServer.ifPresent(ApiServer::close);
            if (compute != null) {
                compute.close();
            }
            bus.ifPresent(Bus::close);
            database.close();
            if (e instanceof StartupException startup) {
                throw startup;
            }
            throw new StartupException("cannot start: " + e.getMessage(), e);
        }
    }

    /**
     * This machine's real compute hosts: one per kind of instance (Nova runs a compute service per
     * hypervisor), the namespace host named after the machine, the QEMU host after it with "-qemu".
     */
    private static VirtDriver realDrivers(DriverChoice kinds, Settings settings, HostCommands host, Bridges bridges,
                                          PortAgent agent) {
        Path dataDir = settings.dataDir();
        List<VirtDriver> drivers = new ArrayList<>();
        if (kinds.namespaces()) {
            drivers.add(new NamespaceDriver(MachineResources.of(Settings.hostname(), NamespaceDriver.HYPERVISOR_TYPE,
                    dataDir), new Instances(host, dataDir.resolve("instances"), bridges), agent));
        }
        if (kinds.qemu()) {
            Path machines = dataDir.resolve("machines");
            CompletableFuture<Acceleration> accel = CompletableFuture.supplyAsync(() -> {
                Acceleration chosen = Acceleration.choose(QEMU, settings.qemuAccel(), probeKernels(), scratch(machines));
                LOG.info("compute: QEMU guests run under {} ({})", chosen.kvm() ? "KVM" : "TCG", chosen.reason());
                return chosen;
            });
            drivers.add(new QemuDriver(MachineResources.of(Settings.hostname() + "-qemu", QemuDriver.HYPERVISOR_TYPE,
                    dataDir), new Machines(host, machines, new Machines.Settings(QEMU, settings.shutdownTimeout()), bridges,
                    accel), agent));
        }
        return drivers.size() == 1 ? drivers.getFirst() : new HostDrivers(drivers);
    }

    // Kernels that prove KVM works: this host's own first, then the one Portside's test image is built with.
    private static List<Path> probeKernels() {
        List<Path> kernels = new ArrayList<>();
        String release = System.getProperty("os.version");
        kernels.add(Path.of("/boot/vmlinuz-" + release));
        for (Path dir : List.of(Path.of("/boot"), Path.of(Optional.ofNullable(System.getenv("PORTSIDE_IMAGE_CACHE"))
                .orElse("/var/cache/portside/images")))) {
            try (var found = Files.walk(dir, 2)) {
                found.filter(p -> p.getFileName().toString().startsWith("vmlinuz")).sorted().forEach(kernels::add);
            } catch (IOException | java.io.UncheckedIOException e) {
                // No such directory: nothing to probe with there.
            }
        }
        return kernels;
    }

    private static Path scratch(Path machines) {
        try {
            return Files.createDirectories(machines);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    // The host agent: reports devices wired and unwired to the network service, in-process.
    private static PortAgent agent(Networking networking) {
        return new PortAgent() {
            @Override
            public void deviceUp(String portId, String host) {
                networking.portStatus().deviceUp(portId, host);
            }

            @Override
            public void deviceDown(String portId, String host) {
                networking.portStatus().deviceDown(portId, host);
            }
        };
    }

    private static ApiServer start(ApiServer server) {
        try {
            return server.start();
        } catch (JavalinBindException e) {
            throw new StartupException("cannot serve " + server.service() + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, String> readPolicy(Settings settings) {
        if (settings.policyFile().isEmpty()) {
            return Map.of();
        }
        Path file = settings.policyFile().get();
        Settings.requireReadable(file);
        try {
            return Policy.readFile(file);
        } catch (IOException | RuntimeException e) {
            throw new StartupException("cannot read the policy file " + file + ": " + e.getMessage(), e);
        }
    }

    private static Database openDatabase(Settings settings) {
        try {
            return Database.open(settings.databaseUrl(), settings.databaseUser().orElse(null),
                    settings.databasePassword().orElse(null));
        } catch (RuntimeException e) {
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            throw new StartupException("cannot reach the database " + redact(settings.databaseUrl()) + ": "
                    + root.getMessage(), e);
        }
    }

    // JDBC URLs may carry a password=...; never print it.
    private static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }

    public Path openrc() {
        return openrc;
    }

    public List<ApiServer> servers() {
        return servers;
    }

    /** The operator's endpoints' server, when they are served. */
    public Optional<ApiServer> operatorServer() {
        return operatorServer;
    }

    @Override
    public void close() {
        LOG.info("stopping");
        servers.forEach(ApiServer::close);
        operatorServer.ifPresent(ApiServer::close);
        compute.close();
        bus.ifPresent(Bus::close);
        database.close();
    }

    /** The virt driver, for tests that look behind the API (what the fake driver's hosts run). */
    VirtDriver driver() {
        return driver;
    }
}
