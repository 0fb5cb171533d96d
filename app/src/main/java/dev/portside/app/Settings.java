package dev.portside.app;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import dev.portside.network.firewall.FilterSettings;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * Everything {@code portside serve} can be told, from its YAML config file and then its flags.
 * Unknown keys in the file are an error, so a typo never silently falls back to a default.
 */
public record Settings(
        Path dataDir,
        String bind,
        String publicHost,
        int identityPort,
        int networkPort,
        int imagePort,
        int computePort,
        String baseMac,
        java.util.List<String> mechanismDrivers,
        java.util.Map<String, java.util.List<String>> hostMechanismDrivers,
        String databaseUrl,
        Optional<String> databaseUser,
        Optional<String> databasePassword,
        Duration tokenLifetime,
        int passwordHashRounds,
        Optional<Path> policyFile,
        String region,
        String computeDriver,
        java.util.List<dev.portside.compute.virt.FakeDriver.Host> fakeHosts,
        Duration vifPluggingTimeout,
        FilterSettings filtering,
        String qemuAccel,
        Duration shutdownTimeout,
        Duration reclaimInstanceInterval,
        java.util.Map<String, String> physicalInterfaceMappings,
        dev.portside.network.net.PhysicalNetworks physicalNetworks,
        Optional<String> publicNetworkCidr,
        Optional<OperatorEndpoint> operator,
        Optional<String> transportUrl,
        Duration serviceDownTime,
        Duration rpcResponseTimeout) {

    /**
     * The virt drivers Portside ships: instances as namespaces on this machine, QEMU virtual machines,
     * both ({@code namespace,qemu}), or the fake; {@code auto} is both where this host can run them.
     */
    public static final java.util.Set<String> COMPUTE_DRIVERS = java.util.Set.of("auto", "fake", "namespace", "qemu",
            "namespace,qemu");
    public static final java.util.Set<String> QEMU_ACCELS = java.util.Set.of("auto", "kvm", "tcg");

    public static final String PUBLIC_NETWORK_CIDR = "172.24.4.0/24";
    public static final int IDENTITY_PORT = 5000;
    public static final int NETWORK_PORT = 9696;
    public static final int IMAGE_PORT = 9292;
    public static final int COMPUTE_PORT = 8774;
    public static final int OPERATOR_PORT = 8080;

    /** Where the operator's endpoints (/metrics, /healthz) listen; none when switched off. */
    public record OperatorEndpoint(String bind, int port) {
    }

    /** What the command line can say; each wins over the file. */
    record Flags(Optional<Path> dataDir, Optional<String> bind, Optional<String> databaseUrl,
                 Optional<Integer> identityPort, Optional<Integer> networkPort, Optional<Integer> imagePort,
                 Optional<Integer> computePort, Optional<Integer> operatorPort, boolean controller) {
        static Flags none() {
            return new Flags(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                    Optional.empty(), Optional.empty(), Optional.empty(), false);
        }
    }

    /** A fake compute host in the config file: its name, capacity, and (for tests) how it misbehaves. */
    record FakeHost(@JsonProperty("name") String name, @JsonProperty("vcpus") Integer vcpus,
                    @JsonProperty("memory_mb") Integer memoryMb, @JsonProperty("local_gb") Integer localGb,
                    @JsonProperty("behaviour") String behaviour,
                    @JsonProperty("snapshot_seconds") Double snapshotSeconds) {
        dev.portside.compute.virt.FakeDriver.Host toHost() {
            if (name == null || name.isBlank()) {
                throw new StartupException("every entry of fake_hosts needs a name");
            }
            var normal = dev.portside.compute.virt.FakeDriver.Host.normal(name).resources();
            dev.portside.compute.virt.FakeDriver.Behaviour how;
            try {
                how = dev.portside.compute.virt.FakeDriver.Behaviour.valueOf(
                        Optional.ofNullable(behaviour).orElse("normal").toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
            } catch (IllegalArgumentException e) {
                throw new StartupException("fake host " + name + ": unknown behaviour '" + behaviour
                        + "' (normal, fail-spawn, no-vif-events)");
            }
            return new dev.portside.compute.virt.FakeDriver.Host(new dev.portside.compute.virt.HostResources(name, dev.portside.compute.virt.FakeDriver.HYPERVISOR_TYPE,
                    Optional.ofNullable(vcpus).orElse(normal.vcpus()), Optional.ofNullable(memoryMb).orElse(normal.memoryMb()),
                    Optional.ofNullable(localGb).orElse(normal.localGb())), how,
                    java.time.Duration.ofMillis(Math.round(Optional.ofNullable(snapshotSeconds).orElse(0.0) * 1000)));
        }
    }

    /** The config file's shape; every key is optional. */
    record File(
            @JsonProperty("data_dir") String dataDir,
            @JsonProperty("bind") String bind,
            @JsonProperty("public_host") String publicHost,
            @JsonProperty("identity_port") Integer identityPort,
            @JsonProperty("network_port") Integer networkPort,
            @JsonProperty("image_port") Integer imagePort,
            @JsonProperty("compute_port") Integer computePort,
            @JsonProperty("base_mac") String baseMac,
            @JsonProperty("mechanism_drivers") java.util.List<String> mechanismDrivers,
            @JsonProperty("host_mechanism_drivers") java.util.Map<String, java.util.List<String>> hostMechanismDrivers,
            @JsonProperty("database_url") String databaseUrl,
            @JsonProperty("database_user") String databaseUser,
            @JsonProperty("database_password") String databasePassword,
            @JsonProperty("token_expiration") Integer tokenExpirationSeconds,
            @JsonProperty("password_hash_rounds") Integer passwordHashRounds,
            @JsonProperty("policy_file") String policyFile,
            @JsonProperty("region") String region,
            @JsonProperty("compute_driver") String computeDriver,
            @JsonProperty("fake_hosts") java.util.List<FakeHost> fakeHosts,
            @JsonProperty("vif_plugging_timeout") Integer vifPluggingTimeoutSeconds,
            @JsonProperty("unaddressed_port_security") String unaddressedPortSecurity,
            @JsonProperty("mac_learning_limit") Integer macLearningLimit,
            @JsonProperty("mac_ageing_time") Integer macAgeingSeconds,
            @JsonProperty("qemu_accel") String qemuAccel,
            @JsonProperty("shutdown_timeout") Integer shutdownTimeoutSeconds,
            @JsonProperty("reclaim_instance_interval") Integer reclaimInstanceIntervalSeconds,
            @JsonProperty("physical_interface_mappings") java.util.Map<String, String> physicalInterfaceMappings,
            @JsonProperty("network_vlan_ranges") java.util.List<String> networkVlanRanges,
            @JsonProperty("public_network_cidr") String publicNetworkCidr,
            @JsonProperty("operator_enabled") Boolean operatorEnabled,
            @JsonProperty("operator_bind") String operatorBind,
            @JsonProperty("operator_port") Integer operatorPort,
            @JsonProperty("transport_url") String transportUrl,
            @JsonProperty("vni_ranges") String vniRanges,
            @JsonProperty("service_down_time") Integer serviceDownTimeSeconds,
            @JsonProperty("rpc_response_timeout") Integer rpcResponseTimeoutSeconds) {

        static File empty() {
            return new File(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                    null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                    null, null, null, null);
        }

        static File read(Path path) throws IOException {
            ObjectMapper yaml = new ObjectMapper(new YAMLFactory())
                    .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
            File file = yaml.readValue(path.toFile(), File.class);
            return file == null ? empty() : file;
        }
    }

    /** Flags win over the file, the file over defaults. */
    static Settings resolve(File file, Flags flags) {
        Path dataDir = flags.dataDir().or(() -> Optional.ofNullable(file.dataDir()).map(Path::of))
                .orElse(Path.of(System.getProperty("user.home"), ".portside"));
        String bind = flags.bind().or(() -> Optional.ofNullable(file.bind())).orElse("127.0.0.1");
        // A wildcard bind is not an address a client can use; advertise loopback unless told otherwise.
        String publicHost = Optional.ofNullable(file.publicHost())
                .orElse(bind.equals("0.0.0.0") || bind.equals("::") ? "127.0.0.1" : bind);
        return new Settings(
                dataDir,
                bind,
                publicHost,
                flags.identityPort().or(() -> Optional.ofNullable(file.identityPort())).orElse(IDENTITY_PORT),
                flags.networkPort().or(() -> Optional.ofNullable(file.networkPort())).orElse(NETWORK_PORT),
                flags.imagePort().or(() -> Optional.ofNullable(file.imagePort())).orElse(IMAGE_PORT),
                flags.computePort().or(() -> Optional.ofNullable(file.computePort())).orElse(COMPUTE_PORT),
                Optional.ofNullable(file.baseMac()).orElse(dev.portside.network.Networking.Settings.NEUTRON_BASE_MAC),
                Optional.ofNullable(file.mechanismDrivers()).orElse(dev.portside.network.Networking.Settings.DEFAULT_DRIVERS),
                Optional.ofNullable(file.hostMechanismDrivers()).orElse(java.util.Map.of()),
                flags.databaseUrl().or(() -> Optional.ofNullable(file.databaseUrl()))
                        .orElse(dev.portside.common.db.Database.h2FileUrl(dataDir)),
                Optional.ofNullable(file.databaseUser()),
                Optional.ofNullable(file.databasePassword()),
                Duration.ofSeconds(Optional.ofNullable(file.tokenExpirationSeconds()).orElse(3600)),
                Optional.ofNullable(file.passwordHashRounds()).orElse(12),
                Optional.ofNullable(file.policyFile()).map(Path::of),
                Optional.ofNullable(file.region()).orElse("RegionOne"),
                computeDriver(file.computeDriver()),
                Optional.ofNullable(file.fakeHosts()).map(hosts -> hosts.stream().map(FakeHost::toHost).toList())
                        .orElseGet(() -> java.util.List.of(dev.portside.compute.virt.FakeDriver.Host.normal(hostname()))),
                Duration.ofSeconds(Optional.ofNullable(file.vifPluggingTimeoutSeconds()).orElse(60)),
                filtering(file),
                oneOf("qemu_accel", Optional.ofNullable(file.qemuAccel()).orElse("auto"), QEMU_ACCELS),
                // Nova's shutdown_timeout: how long a guest has to power off on ACPI's request.
                Duration.ofSeconds(Optional.ofNullable(file.shutdownTimeoutSeconds()).orElse(60)),
                // Nova's reclaim_instance_interval: 0 (its default) deletes at once; N keeps a deleted
                // server restorable for N seconds.
                Duration.ofSeconds(nonNegative("reclaim_instance_interval",
                        Optional.ofNullable(file.reclaimInstanceIntervalSeconds()).orElse(0))),
                Optional.ofNullable(file.physicalInterfaceMappings()).map(java.util.Map::copyOf).orElse(java.util.Map.of()),
                physicalNetworks(file, flags.controller()),
                // DevStack's public range: the external network the all-in-one makes on its first start ("" for none).
                Optional.ofNullable(file.publicNetworkCidr()).or(() -> Optional.of(PUBLIC_NETWORK_CIDR))
                        .filter(cidr -> !cidr.isBlank()),
                Optional.ofNullable(file.operatorEnabled()).orElse(true)
                        ? Optional.of(new OperatorEndpoint(Optional.ofNullable(file.operatorBind()).orElse(bind),
                                flags.operatorPort().or(() -> Optional.ofNullable(file.operatorPort())).orElse(OPERATOR_PORT)))
                        : Optional.empty(),
                transportUrl(file, flags.controller()),
                // Nova's service_down_time and oslo.messaging's rpc_response_timeout defaults.
                Duration.ofSeconds(positive("service_down_time", Optional.ofNullable(file.serviceDownTimeSeconds()).orElse(60))),
                Duration.ofSeconds(positive("rpc_response_timeout",
                        Optional.ofNullable(file.rpcResponseTimeoutSeconds()).orElse(60))));
    }

    // A controller's compute hosts reach it through the broker; the all-in-one has its hosts in-process.
    private static Optional<String> transportUrl(File file, boolean controller) {
        if (controller && file.transportUrl() == null) {
            throw new StartupException("a controller needs transport_url, its message broker"
                    + " (rabbit://user:password@host:5672/)");
        }
        if (!controller && file.transportUrl() != null) {
            throw new StartupException("transport_url is for portside controller; portside serve runs its hosts itself");
        }
        return Optional.ofNullable(file.transportUrl());
    }

    private static int positive(String key, int value) {
        if (value <= 0) {
            throw new StartupException(key + " must be 1 or more seconds, not " + value);
        }
        return value;
    }

    private static FilterSettings filtering(File file) {
        FilterSettings defaults = FilterSettings.DEFAULTS;
        FilterSettings.Unaddressed unaddressed = Optional.ofNullable(file.unaddressedPortSecurity())
                .map(value -> FilterSettings.Unaddressed.of(value).orElseThrow(() -> new StartupException(
                        "unknown unaddressed_port_security '" + value + "' (mac, in-tree)")))
                .orElse(defaults.unaddressed());
        try {
            return new FilterSettings(unaddressed,
                    Optional.ofNullable(file.macLearningLimit()).orElse(defaults.macLearningLimit()),
                    Optional.ofNullable(file.macAgeingSeconds()).map(Duration::ofSeconds).orElse(defaults.macAgeing()));
        } catch (IllegalArgumentException e) {
            throw new StartupException(e.getMessage());
        }
    }

    // The physical networks are those this host has an interface for (the linuxbridge agent's
    // physical_interface_mappings); network_vlan_ranges gives some a range to allocate VLANs from.
    private static dev.portside.network.net.PhysicalNetworks physicalNetworks(File file, boolean controller) {
        java.util.Map<String, String> mappings = Optional.ofNullable(file.physicalInterfaceMappings()).orElse(java.util.Map.of());
        mappings.forEach((physnet, device) -> {
            if (device == null || !device.matches("[A-Za-z0-9_.-]{1,15}")) {
                throw new StartupException("physical_interface_mappings: " + physnet + " maps to '" + device
                        + "', not an interface name");
            }
        });
        try {
            if (!controller && file.vniRanges() != null) {
                throw new StartupException("vni_ranges is for portside controller: VXLAN networks join compute hosts");
            }
            // A controller's tenant networks reach every host: VXLAN, ids from vni_ranges (ML2's default range).
            return new dev.portside.network.net.PhysicalNetworks(mappings.keySet(),
                    dev.portside.network.net.PhysicalNetworks.parseRanges(
                            Optional.ofNullable(file.networkVlanRanges()).orElse(java.util.List.of())),
                    controller ? Optional.of(dev.portside.network.net.PhysicalNetworks.VniRange.parse(
                            Optional.ofNullable(file.vniRanges()).orElse("1:1000"))) : Optional.empty());
        } catch (IllegalArgumentException e) {
            throw new StartupException(e.getMessage());
        }
    }

    private static int nonNegative(String key, int value) {
        if (value < 0) {
            throw new StartupException(key + " must be 0 or more seconds, not " + value);
        }
        return value;
    }

    private static String computeDriver(String configured) {
        return oneOf("compute_driver", Optional.ofNullable(configured).orElse("auto").replace(" ", ""), COMPUTE_DRIVERS);
    }

    private static String oneOf(String key, String value, java.util.Set<String> allowed) {
        if (!allowed.contains(value)) {
            throw new StartupException("unknown " + key + " '" + value + "'; use one of " + new java.util.TreeSet<>(allowed));
        }
        return value;
    }

    // Nova names a compute host after the machine; so does the default fake host, and the namespace driver's.
    static String hostname() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
        } catch (IOException e) {
            return "localhost";
        }
    }

    public String url(int port) {
        String host = publicHost.contains(":") ? "[" + publicHost + "]" : publicHost;
        return "http://" + host + ":" + port;
    }

    public String identityUrl() {
        return url(identityPort);
    }

    public String networkUrl() {
        return url(networkPort);
    }

    public String imageUrl() {
        return url(imagePort);
    }

    public String computeUrl() {
        return url(computePort);
    }

    static void requireReadable(Path path) {
        if (!Files.isReadable(path)) {
            throw new StartupException("cannot read " + path);
        }
    }
}
