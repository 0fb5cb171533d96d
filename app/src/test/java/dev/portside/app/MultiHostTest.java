package dev.portside.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portside.common.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Portside across hosts, on this one machine: a controller process on PostgreSQL, RabbitMQ, and
 * three compute-host processes, each in network and mount namespaces of its own with its own
 * address on a fabric bridge (bin/fabric), so their tenant networks meet over VXLAN as separate
 * machines' would. The spec's scenario with VM1, VM2 and VM3 on three hosts; an ARP request nobody
 * answers reaching the unaddressed middle box on another host; port security on each host for its
 * own ports; a host killed and restarted; the broker stopped during a create; two controllers
 * placing servers at once.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MultiHostTest {
    private static final String VIRTUAL_ON_NET1 = MiddleBoxScenario.VIRTUAL_ON_NET1;
    private static final String VIRTUAL_ON_NET2 = MiddleBoxScenario.VIRTUAL_ON_NET2;
    private static final Duration SERVICE_DOWN_TIME = Duration.ofSeconds(6);
    @TempDir
    static Path dataDir;
    static String vhost;
    static TestDatabase.Instance database;
    static HostFabric fabric;
    static ServeProcess controller;
    static OpenstackCli cli;
    static final Map<String, String> SERVERS = new HashMap<>();

    @BeforeAll
    static void start() throws Exception {
        // A virtual host of the broker's for this run alone: nothing from an earlier run is left in its queues.
        vhost = "portside-test-" + UUID.randomUUID().toString().substring(0, 8);
        String broker = HostShell.run(Path.of(System.getProperty("user.dir")).getParent().resolve("bin/broker").toString());
        assertThat(broker).as("bin/broker prints the transport_url").contains("rabbit://portside:portside@");
        assertThat(HostShell.succeeds("rabbitmqctl", "-q", "add_vhost", vhost)).isTrue();
        assertThat(HostShell.succeeds("rabbitmqctl", "-q", "set_permissions", "-p", vhost, "portside", ".*", ".*", ".*"))
                .isTrue();
        database = TestDatabase.configured().stream().filter(d -> d.kind().equals("postgres")).findFirst()
                .orElseThrow(() -> new AssertionError("the multi-host tests need PostgreSQL (./run-tests configures it)"))
                .create();
        fabric = HostFabric.up(3, dataDir, "rabbit://portside:portside@" + HostFabric.MACHINE + ":5672/" + vhost);
        controller = startController("c1");
        cli = new OpenstackCli(controller.openrcVariables());
        for (int n = 1; n <= 3; n++) {
            fabric.start(n);
        }
        awaitStates(Map.of("host1", "up", "host2", "up", "host3", "up"), Duration.ofSeconds(60));
    }

    private static ServeProcess startController(String name) throws Exception {
        Path config = dataDir.resolve(name + ".yaml");
        Files.writeString(config, String.join("\n",
                "database_url: \"" + database.url() + "\"",
                "transport_url: \"rabbit://portside:portside@127.0.0.1:5672/" + vhost + "\"",
                "service_down_time: " + SERVICE_DOWN_TIME.toSeconds(),
                "rpc_response_timeout: 20",
                "vif_plugging_timeout: 20",
                "password_hash_rounds: 4",
                "operator_enabled: false", ""));
        return ServeProcess.controller(dataDir.resolve(name), "--config", config.toString()).awaitReady();
    }

    @AfterAll
    static void stop() throws Exception {
        if (fabric != null) {
            fabric.close();
        }
        if (controller != null) {
            controller.close();
        }
        if (database != null) {
            database.close();
        }
        HostShell.run("rabbitmqctl", "-q", "delete_vhost", vhost);
    }

    private static Map<String, String> states() throws Exception {
        Map<String, String> states = new HashMap<>();
        for (JsonNode service : cli.json("compute", "service", "list")) {
            states.put(service.get("Host").asText(), service.get("State").asText());
        }
        return states;
    }

    private static void awaitStates(Map<String, String> wanted, Duration within) throws Exception {
        Instant deadline = Instant.now().plus(within);
        Map<String, String> seen = Map.of();
        while (Instant.now().isBefore(deadline)) {
            seen = states();
            if (seen.entrySet().containsAll(wanted.entrySet())) {
                return;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("compute services " + seen + ", not " + wanted + " within " + within.toSeconds() + " s");
    }

    private static String boot(String name, int host, String... ports) throws Exception {
        List<String> args = new ArrayList<>(List.of("server", "create", "--flavor", "m1.tiny", "--image",
                DefaultImage.NAME, "--availability-zone", "nova:" + HostFabric.hostName(host)));
        for (String port : ports) {
            args.addAll(List.of("--nic", "port-id=" + cli.json("port", "show", port).get("id").asText()));
        }
        args.addAll(List.of("--wait", name));
        JsonNode server = cli.json(args.toArray(String[]::new));
        assertThat(server.get("status").asText()).isEqualTo("ACTIVE");
        assertThat(server.get("OS-EXT-SRV-ATTR:host").asText()).isEqualTo(HostFabric.hostName(host));
        SERVERS.put(name, server.get("id").asText());
        return server.get("id").asText();
    }

    /** What {@code command} prints on host {@code n} once {@code done} holds for it, or after 15 s. */
    private static String awaitOnHost(int n, java.util.function.Predicate<String> done, String... command)
            throws Exception {
        Instant deadline = Instant.now().plusSeconds(15);
        String out = HostFabric.onHost(n, command);
        while (!done.test(out) && Instant.now().isBefore(deadline)) {
            Thread.sleep(200);
            out = HostFabric.onHost(n, command);
        }
        return out;
    }

    private static String mac(String port) throws Exception {
        return cli.json("port", "show", port).get("mac_address").asText();
    }

    private static String address(String port) throws Exception {
        return cli.json("port", "show", port).at("/fixed_ips/0/ip_address").asText();
    }

    private static String on(int host, String server, String shell) throws Exception {
        return HostFabric.inInstance(host, SERVERS.get(server), shell);
    }

    private static long counted(String nftListing) {
        return nftListing.lines().filter(l -> l.contains("counter packets")).findFirst()
                .map(l -> Long.parseLong(l.replaceAll(".*counter packets ([0-9]+).*", "$1"))).orElse(-1L);
    }

    @Test
    @Order(1)
    void eachHostRegistersItselfWithItsTunnelAddressAndTenantNetworksAreVxlan() throws Exception {
        JsonNode hypervisors = cli.json("hypervisor", "list", "--long");
        Map<String, String> ips = new HashMap<>();
        hypervisors.forEach(h -> ips.put(h.get("Hypervisor Hostname").asText(), h.get("Host IP").asText()));
        assertThat(ips).containsEntry("host1", HostFabric.address(1)).containsEntry("host2", HostFabric.address(2))
                .containsEntry("host3", HostFabric.address(3));

        for (String[] net : new String[][]{{"net1", "10.101.0.0/24"}, {"net2", "10.102.0.0/24"}}) {
            JsonNode network = cli.json("network", "create", net[0]);
            assertThat(network.get("provider:network_type").asText()).isEqualTo("vxlan");
            assertThat(network.get("mtu").asInt()).as("room for the tunnel's headers").isEqualTo(1450);
            cli.ok("subnet", "create", "--network", net[0], "--subnet-range", net[1], net[0] + "-sub");
        }
        assertThat(cli.json("extension", "show", "provider").get("alias").asText()).isEqualTo("provider");
    }

    @Test
    @Order(2)
    void vm1ReachesVm3OnAnotherHostOnlyThroughTheMiddleBoxsNatOnAThird() throws Exception {
        cli.ok("security", "group", "create", "scenario");
        cli.ok("security", "group", "rule", "create", "--protocol", "icmp", "scenario");
        cli.ok("port", "create", "--network", "net1", "--security-group", "scenario", "vm1-net1");
        cli.ok("port", "create", "--network", "net2", "--security-group", "scenario", "vm3-net2");
        for (String net : new String[]{"net1", "net2"}) {
            JsonNode port = cli.json("port", "create", "--network", net, "--no-fixed-ip", "--disable-port-security",
                    "vm2-" + net);
            assertThat(port.get("ip_allocation").asText()).isEqualTo("none");
        }
        boot("vm1", 1, "vm1-net1");
        boot("vm2", 2, "vm2-net1", "vm2-net2");
        boot("vm3", 3, "vm3-net2");
        assertThat(cli.json("port", "show", "vm2-net1").get("binding_host_id").asText()).isEqualTo("host2");
        List<String> vxlans = HostFabric.onHost(2, "ip", "-d", "link", "show", "type", "vxlan").lines()
                .map(String::strip).filter(l -> l.startsWith("vxlan id")).toList();
        assertThat(vxlans).as("one VXLAN device per network on the middle box's host, no ARP proxy").hasSize(2)
                .allMatch(l -> !l.contains(" proxy"));
        assertThat(HostFabric.onHost(2, "ip", "-o", "link", "show", "type", "vxlan")).contains("mtu 1450");
        assertThat(on(1, "vm1", "ip -o link show eth0")).as("the guest has its network's MTU (config drive)")
                .contains("mtu 1450");

        String vm1 = address("vm1-net1");
        String vm3 = address("vm3-net2");
        on(2, "vm2", MiddleBoxScenario.nat("eth0", "eth1", vm1, mac("vm1-net1"), vm3, mac("vm3-net2")));
        on(1, "vm1", "ip neigh replace " + VIRTUAL_ON_NET1 + " lladdr " + mac("vm2-net1") + " dev eth0");
        on(3, "vm3", "ip neigh replace " + VIRTUAL_ON_NET2 + " lladdr " + mac("vm2-net2") + " dev eth0");

        assertThat(on(1, "vm1", "ping -c3 -W2 " + VIRTUAL_ON_NET1)).contains("3 received");
        String counters = on(2, "vm2", "iptables -t nat -L PREROUTING -v -n -x");
        assertThat(Long.parseLong(counters.lines().filter(l -> l.contains("DNAT")).findFirst().orElseThrow()
                .strip().split("\\s+")[0])).as("the middle box's DNAT did it").isPositive();
        assertThat(on(3, "vm3", "ip neigh show " + VIRTUAL_ON_NET2)).as("VM3 saw VM1's traffic as the middle box's")
                .contains(mac("vm2-net2"));
    }

    @Test
    @Order(3)
    void anArpRequestForAnAddressNoPortHasReachesTheMiddleBoxOnAnotherHost() throws Exception {
        on(2, "vm2", "nft add table arp probe && nft add chain arp probe in '{ type filter hook input priority 0; }'"
                + " && nft add rule arp probe in arp operation request arp daddr ip 10.101.0.77 counter");
        on(1, "vm1", "ping -c2 -W1 10.101.0.77 >/dev/null; true");
        assertThat(counted(on(2, "vm2", "nft list table arp probe")))
                .as("nothing on the way answered or swallowed VM1's ARP requests").isPositive();

        // A MAC the network service never heard of, behind VM2's port without port security: found
        // by flooding, then learned by the VXLAN devices on the way.
        on(2, "vm2", "ip link add link eth0 name mv0 address 02:00:00:00:00:42 type macvlan mode bridge"
                + " && ip addr add 10.101.0.42/24 dev mv0 && ip link set mv0 up");
        assertThat(on(1, "vm1", "ping -c3 -W2 10.101.0.42")).as("unknown unicast reaches it across hosts")
                .contains("3 received");
        on(2, "vm2", "ip link del mv0");
    }

    @Test
    @Order(4)
    void eachHostFiltersItsOwnPortsAndAForgedMacFromTheMiddleBoxReachesNoOtherHost() throws Exception {
        for (String port : new String[]{"vm2-net1", "vm2-net2"}) {
            cli.ok("port", "set", "--enable-port-security", "--security-group", "scenario", port);
        }
        assertThat(on(1, "vm1", "ping -c3 -W2 " + VIRTUAL_ON_NET1)).as("an allowing group lets it pass")
                .contains("3 received");
        assertThat(HostFabric.onHost(2, "nft", "list", "table", "bridge", "portside")).contains(mac("vm2-net2"));
        assertThat(HostFabric.onHost(1, "nft", "list", "table", "bridge", "portside"))
                .as("host1 filters its own ports only").doesNotContain(mac("vm2-net2")).contains(mac("vm1-net1"));

        String forged = "02:00:00:00:07:77";
        on(3, "vm3", "nft add table netdev probe && nft add chain netdev probe in '{ type filter hook ingress device eth0"
                + " priority 0; }' && nft add rule netdev probe in ether saddr " + forged + " counter");
        on(2, "vm2", "ip link set eth1 address " + forged);
        assertThat(on(1, "vm1", "ping -c2 -W1 " + VIRTUAL_ON_NET1)).contains("0 received");
        assertThat(counted(on(3, "vm3", "nft list table netdev probe"))).as("no frame from the forged MAC left host2")
                .isZero();
        on(2, "vm2", "ip link set eth1 address " + mac("vm2-net2"));
        assertThat(on(1, "vm1", "ping -c3 -W2 " + VIRTUAL_ON_NET1)).contains("3 received");
    }

    @Test
    @Order(5)
    void aKilledHostIsDownItsInstancesRunOnAndOnRestartItCatchesUpOnWhatItMissed() throws Exception {
        String vm4 = boot("vm4", 3, cli.json("port", "create", "--network", "net2", "vm4-net2").get("name").asText());
        fabric.kill(3);
        try {
            missedWhileDown(vm4);
        } finally {
            // The later tests need all three hosts, whatever became of this one.
            if (!fabric.running(3)) {
                fabric.start(3);
            }
        }
        awaitStates(Map.of("host3", "up"), Duration.ofSeconds(60));
        assertThat(awaitOnHost(3, out -> !out.contains(vm4), "ip", "netns", "list"))
                .as("the deleted server is gone from its host")
                .doesNotContain(vm4).contains(SERVERS.get("vm3"));
        String vm3Mac = mac("vm3-net2");
        assertThat(awaitOnHost(3, out -> !out.contains(vm3Mac), "nft", "list", "table", "bridge", "portside"))
                .as("vm3's port is no longer filtered").doesNotContain(vm3Mac);
        assertThat(on(1, "vm1", "ping -c3 -W2 " + VIRTUAL_ON_NET1)).as("the scenario works on").contains("3 received");
    }

    // host3 is down: it shows so, its instances run on, nothing is placed on it, and what changes
    // meanwhile (a server deleted, a port's security switched off) waits for it.
    private static void missedWhileDown(String vm4) throws Exception {
        Instant killed = Instant.now();
        awaitStates(Map.of("host3", "down"), SERVICE_DOWN_TIME.plusSeconds(10));
        System.out.println("host3 showed down " + Duration.between(killed, Instant.now()).toMillis() + " ms after SIGKILL");
        assertThat(HostFabric.onHost(3, "ip", "netns", "pids", "portside-" + SERVERS.get("vm3")))
                .as("vm3 runs on without its host's process").isNotBlank();

        OpenstackCli.Result refused = cli.run("server", "create", "--flavor", "m1.tiny", "--image", DefaultImage.NAME,
                "--network", "net2", "--availability-zone", "nova:host3", "--wait", "vm-nowhere");
        assertThat(refused.err()).contains("Error creating server");
        JsonNode nowhere = cli.json("server", "show", "vm-nowhere");
        assertThat(nowhere.get("status").asText()).isEqualTo("ERROR");
        assertThat(nowhere.at("/fault/message").asText()).contains("No valid host");
        cli.ok("server", "delete", "vm-nowhere");

        String vni = cli.json("network", "show", "net2").get("provider:segmentation_id").asText();
        String vm4Mac = mac("vm4-net2");
        assertThat(HostFabric.onHost(2, "bridge", "fdb", "show", "dev", "vxlan-" + vni))
                .as("host2 knows where vm4's MAC is").contains(vm4Mac + " dst " + HostFabric.address(3) + " self permanent");

        // Missed while down: a server on it deleted, port security off for another's port.
        cli.ok("server", "delete", "--wait", "vm4");
        // The entry the controller gave goes; one the device learned from vm4's frames ages out by itself.
        String given = vm4Mac + " dst " + HostFabric.address(3) + " self permanent";
        assertThat(awaitOnHost(2, out -> !out.contains(given), "bridge", "fdb", "show", "dev", "vxlan-" + vni))
                .as("the other hosts forget a port that left").doesNotContain(given);
        cli.ok("port", "set", "--no-security-group", "--disable-port-security", "vm3-net2");
        assertThat(HostFabric.onHost(3, "ip", "netns", "list")).contains(vm4);
    }

    @Test
    @Order(6)
    void aCreateWhileTheBrokerIsStoppedEndsActiveOrInErrorWithNothingLeftOnTheHosts() throws Exception {
        cli.ok("server", "create", "--flavor", "m1.tiny", "--image", DefaultImage.NAME, "--network", "net1",
                "--availability-zone", "nova:host1", "vm5");
        assertThat(HostShell.succeeds("rabbitmqctl", "-q", "stop_app")).isTrue();
        Thread.sleep(3000);
        assertThat(HostShell.succeeds("rabbitmqctl", "-q", "start_app")).isTrue();
        Instant deadline = Instant.now().plusSeconds(90);
        JsonNode vm5 = cli.json("server", "show", "vm5");
        while (vm5.get("status").asText().equals("BUILD") && Instant.now().isBefore(deadline)) {
            Thread.sleep(1000);
            vm5 = cli.json("server", "show", "vm5");
        }
        String status = vm5.get("status").asText();
        assertThat(status).isIn("ACTIVE", "ERROR");
        String id = vm5.get("id").asText();
        awaitStates(Map.of("host1", "up", "host2", "up", "host3", "up"), Duration.ofSeconds(60));
        if (status.equals("ERROR")) {
            assertThat(vm5.at("/fault/message").asText()).as("a clear fault").isNotBlank();
            cli.ok("server", "delete", "--wait", "vm5");
            assertThat(awaitOnHost(1, out -> !out.contains(id), "ip", "netns", "list")).as("nothing of it on its host")
                    .doesNotContain(id);
        } else {
            assertThat(HostFabric.onHost(1, "ip", "netns", "list")).contains(id);
            cli.ok("server", "delete", "--wait", "vm5");
        }
        assertThat(cli.json("port", "list", "--device-id", id)).as("no port left behind").isEmpty();
        System.out.println("the create during the broker's stop ended " + status);
    }

    @Test
    @Order(7)
    void twoControllersPlaceServersAtOnceWithoutDoubleBookingAHostOrAnAddress() throws Exception {
        int memory = cli.json("hypervisor", "list", "--long").get(0).get("Memory MB").asInt();
        // A flavor that only one server's worth of fits on a host (Nova's RAM allocation ratio is 1.5).
        cli.ok("flavor", "create", "--ram", String.valueOf((int) (memory * 1.5 * 0.6)), "--vcpus", "1", "--disk", "0",
                "big");
        cli.ok("quota", "set", "--ram", "-1", "--cores", "-1", "admin");
        try (ServeProcess second = startController("c2")) {
            OpenstackCli other = cli.with("OS_AUTH_URL", second.url() + "/v3");
            assertThat(other.json("compute", "service", "list")).hasSize(3);
            // vm1..vm3 hold little; the hosts' room is the big flavor's.
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Future<OpenstackCli.Result>> creates = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                OpenstackCli through = i % 2 == 0 ? cli : other;
                String name = "big" + i;
                creates.add(pool.submit((Callable<OpenstackCli.Result>) () -> through.run("server", "create",
                        "--flavor", "big", "--image", DefaultImage.NAME, "--network", "net1", "--wait", name)));
            }
            for (Future<OpenstackCli.Result> create : creates) {
                OpenstackCli.Result result = create.get();
                assertThat(result.out() + result.err()).as(result.toString()).doesNotContain("HTTP 4", "HTTP 5");
            }
            pool.shutdown();
            Set<String> hosts = new HashSet<>();
            Set<String> addresses = new HashSet<>();
            int active = 0;
            for (int i = 0; i < 4; i++) {
                JsonNode server = cli.json("server", "show", "big" + i);
                if (server.get("status").asText().equals("ACTIVE")) {
                    active++;
                    hosts.add(server.get("OS-EXT-SRV-ATTR:host").asText());
                    addresses.add(server.at("/addresses/net1/0").asText());
                } else {
                    assertThat(server.at("/fault/message").asText()).contains("No valid host");
                }
            }
            assertThat(active).as("one big server per host, three hosts").isEqualTo(3);
            assertThat(hosts).hasSize(3);
            assertThat(addresses).hasSize(3);
            for (int i = 0; i < 4; i++) {
                cli.ok("server", "delete", "--wait", "big" + i);
            }
        }
    }
}
