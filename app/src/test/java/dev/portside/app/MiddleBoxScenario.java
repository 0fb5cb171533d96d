package dev.portside.app;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The spec's acceptance scenario, end to end with the real openstack CLI and real instances (as
 * root): VM1 on net1 and VM3 on net2 reach each other only through VM2, a middle box whose two ports
 * have no IP address and no port security and which NATs between them. Then Portside's port security
 * for unaddressed ports: with it on for VM2's ports, the traffic passes where their security group
 * allows it and is dropped where it does not. Each subclass says what VM2 is (which image, so which
 * kind of instance) and what else it checks.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class MiddleBoxScenario {
    static final String VIRTUAL_ON_NET1 = "10.101.0.100";
    static final String VIRTUAL_ON_NET2 = "10.102.0.100";
    @TempDir
    static Path dataDir;
    static ServeProcess portside;
    static OpenstackCli cli;
    static Ssh ssh;
    static final Map<String, String> MGMT = new HashMap<>();

    /** The image VM2, the middle box, boots (VM1 and VM3 are namespace instances). */
    static String vm2Image;

    /** Starts a Portside with {@code config}; VM2 will boot {@code middleBoxImage}. */
    static void serve(String config, String middleBoxImage) throws Exception {
        Path file = dataDir.resolve("portside.yaml");
        Files.writeString(file, config);
        portside = new ServeProcess(dataDir.resolve("portside"), "--config", file.toString()).awaitReady();
        cli = new OpenstackCli(portside.openrcVariables());
        vm2Image = middleBoxImage;
    }

    @AfterAll
    static void stop() throws Exception {
        for (String vm : new String[]{"vm1", "vm2", "vm3"}) {
            cli.run("server", "delete", "--wait", vm);
        }
        portside.close();
        MGMT.clear();
    }

    static JsonNode json(String... args) throws Exception {
        return cli.json(args);
    }

    static OpenstackCli.Result ok(String... args) throws Exception {
        return cli.ok(args);
    }

    /**
     * The middle box's configuration, as its owner would type it: forwarding between its interface
     * on net1 ({@code in}) and on net2 ({@code out}), which have no addresses, and NAT of traffic
     * to its virtual address on net1 to VM3, leaving as its virtual address on net2.
     */
    static String nat(String in, String out, String vm1, String vm1Mac, String vm3, String vm3Mac) {
        return String.join(" && ",
                "sysctl -qw net.ipv4.ip_forward=1",
                "ip route replace 10.101.0.0/24 dev " + in,
                "ip route replace 10.102.0.0/24 dev " + out,
                "ip neigh replace " + vm1 + " lladdr " + vm1Mac + " dev " + in,
                "ip neigh replace " + vm3 + " lladdr " + vm3Mac + " dev " + out,
                "iptables -t nat -A PREROUTING -i " + in + " -d " + VIRTUAL_ON_NET1 + " -j DNAT --to-destination " + vm3,
                "iptables -t nat -A POSTROUTING -o " + out + " -j SNAT --to-source " + VIRTUAL_ON_NET2);
    }

    static String onVm(String vm, String command) throws Exception {
        return ssh.await(MGMT.get(vm), command);
    }

    static String mac(String port) throws Exception {
        return json("port", "show", port).get("mac_address").asText();
    }

    static String address(String port) throws Exception {
        return json("port", "show", port).at("/fixed_ips/0/ip_address").asText();
    }

    @Test
    @Order(1)
    void threeServersBootWithManagementPortsAndVm2HasTwoUnaddressedPortsWithoutPortSecurity() throws Exception {
        ok("security", "group", "create", "scenario");
        ok("security", "group", "rule", "create", "--protocol", "tcp", "--dst-port", "22", "scenario");
        ok("security", "group", "rule", "create", "--protocol", "icmp", "scenario");
        ok("security", "group", "rule", "create", "--protocol", "tcp", "--dst-port", "5201", "scenario");
        for (String[] net : new String[][]{{"mgmt", "10.100.0.0/24"}, {"net1", "10.101.0.0/24"}, {"net2", "10.102.0.0/24"}}) {
            ok("network", "create", net[0]);
            ok("subnet", "create", "--network", net[0], "--subnet-range", net[1], net[0] + "-sub");
        }
        Path key = dataDir.resolve("k.pem");
        Files.writeString(key, ok("keypair", "create", "k").out());
        ssh = new Ssh(dataDir, Files.readString(key));
        for (String vm : new String[]{"vm1", "vm2", "vm3"}) {
            ok("port", "create", "--network", "mgmt", "--security-group", "scenario", vm + "-mgmt");
        }
        ok("port", "create", "--network", "net1", "--security-group", "scenario", "vm1-net1");
        ok("port", "create", "--network", "net2", "--security-group", "scenario", "vm3-net2");
        for (String net : new String[]{"net1", "net2"}) {
            JsonNode port = json("port", "create", "--network", net, "--no-fixed-ip", "--disable-port-security",
                    "vm2-" + net);
            assertThat(port.get("ip_allocation").asText()).isEqualTo("none");
            assertThat(port.get("port_security_enabled").asBoolean()).isFalse();
        }

        boot("vm1", "vm1-mgmt", "vm1-net1");
        boot("vm2", "vm2-mgmt", "vm2-net1", "vm2-net2");
        boot("vm3", "vm3-mgmt", "vm3-net2");
        assertThat(onVm("vm2", "ip -o -4 addr show eth1; ip -o -4 addr show eth2")).isBlank();
        assertThat(onVm("vm2", "ip -o link show eth1")).contains(mac("vm2-net1"));
    }

    private static void boot(String name, String... ports) throws Exception {
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("server", "create", "--flavor", "m1.tiny",
                "--image", name.equals("vm2") ? vm2Image : DefaultImage.NAME, "--key-name", "k"));
        for (String port : ports) {
            args.add("--nic");
            args.add("port-id=" + json("port", "show", port).get("id").asText());
        }
        args.add(name);
        args.add("--wait");
        JsonNode server = json(args.toArray(String[]::new));
        assertThat(server.get("status").asText()).isEqualTo("ACTIVE");
        MGMT.put(name, address(name + "-mgmt"));
        assertThat(ssh.await(MGMT.get(name), "hostname").strip()).isEqualTo(name);
    }

    @Test
    @Order(2)
    void vm1ReachesVm3ThroughTheMiddleBoxsNat() throws Exception {
        String vm1 = address("vm1-net1");
        String vm3 = address("vm3-net2");
        onVm("vm2", nat("eth1", "eth2", vm1, mac("vm1-net1"), vm3, mac("vm3-net2")));
        onVm("vm1", "ip neigh replace " + VIRTUAL_ON_NET1 + " lladdr " + mac("vm2-net1") + " dev eth1");
        onVm("vm3", "ip neigh replace " + VIRTUAL_ON_NET2 + " lladdr " + mac("vm2-net2") + " dev eth1");

        assertThat(onVm("vm1", "ping -c3 -W2 " + VIRTUAL_ON_NET1)).contains("3 received");
        onVm("vm3", "iperf3 -s -1 -D -B " + vm3 + " -p 5201");
        String transfer = onVm("vm1", "iperf3 -c " + VIRTUAL_ON_NET1 + " -p 5201 -t 1 -J");
        assertThat(transfer).contains("\"sum_received\"");
        assertThat(com.fasterxml.jackson.databind.json.JsonMapper.builder().build().readTree(transfer)
                .at("/end/sum_received/bytes").asLong()).isPositive();
        // The middle box did it: its DNAT rule counted the packets.
        String counters = onVm("vm2", "iptables -t nat -L PREROUTING -v -n -x");
        long packets = Long.parseLong(counters.lines().filter(l -> l.contains("DNAT")).findFirst().orElseThrow()
                .strip().split("\\s+")[0]);
        assertThat(packets).isPositive();
    }

    @Test
    @Order(3)
    void withPortSecurityOnTheMiddleBoxsPortsAndAGroupThatAllowsItTheTrafficStillPasses() throws Exception {
        for (String port : new String[]{"vm2-net1", "vm2-net2"}) {
            ok("port", "set", "--enable-port-security", "--security-group", "scenario", port);
        }
        OpenstackCli.Result show = ok("port", "show", "vm2-net1", "-c", "port_security_enabled", "-f", "value");
        assertThat(show.out().strip()).isEqualTo("True");

        assertThat(onVm("vm1", "ping -c3 -W2 " + VIRTUAL_ON_NET1)).contains("3 received");
        onVm("vm3", "iperf3 -s -1 -D -B " + address("vm3-net2") + " -p 5201");
        String transfer = onVm("vm1", "iperf3 -c " + VIRTUAL_ON_NET1 + " -p 5201 -t 1 -J");
        assertThat(com.fasterxml.jackson.databind.json.JsonMapper.builder().build().readTree(transfer)
                .at("/end/sum_received/bytes").asLong()).isPositive();
        // VM2's ports are filtered: their MAC checks are in the host's ruleset.
        assertThat(HostShell.run("nft", "list", "table", "bridge", "portside")).contains(mac("vm2-net1"))
                .contains(mac("vm2-net2"));
    }

    @Test
    @Order(4)
    void aGroupThatDoesNotAllowTheTrafficDropsItAndTheChangeTakesEffectOnTheRunningInstance() throws Exception {
        ok("security", "group", "create", "ssh-only");
        ok("security", "group", "rule", "create", "--protocol", "tcp", "--dst-port", "22", "ssh-only");
        ok("port", "set", "--no-security-group", "--security-group", "ssh-only", "vm2-net1");
        Ssh.Result dropped = ssh.run(MGMT.get("vm1"), "ping -c2 -W2 " + VIRTUAL_ON_NET1);
        assertThat(dropped.exit()).as(dropped.out()).isNotZero();
        assertThat(dropped.out()).contains("100% packet loss");

        ok("port", "set", "--no-security-group", "--security-group", "scenario", "vm2-net1");
        assertThat(onVm("vm1", "ping -c3 -W2 " + VIRTUAL_ON_NET1)).contains("3 received");
    }
}
