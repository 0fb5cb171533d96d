package dev.portside.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portside.common.testing.Http;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The spec's scenario with all three instances as network namespaces, and what only a namespace
 * lets a test do: frames forged inside VM2 (another MAC, an ethertype its ports are not allowed)
 * never reach VM1 or VM3. The operator's page, in a real browser, shows the scenario to its
 * project: VM2's ports unaddressed, their traffic and drops. Nothing is left on the host.
 */
class SpecScenarioTest extends MiddleBoxScenario {

    @BeforeAll
    static void serveWithNamespaces() throws Exception {
        // The spec's scenario has no router: without the all-in-one's external network, the operator's
        // page shows exactly the scenario's three networks to whoever looks.
        serve("compute_driver: namespace\npublic_network_cidr: \"\"\n", DefaultImage.NAME);
    }

    static Frames.Endpoint endpoint(String vm, String device, String port) throws Exception {
        return new Frames.Endpoint(Frames.namespace(json("server", "show", vm).get("id").asText()), device, mac(port));
    }

    @Test
    @Order(5)
    void framesWithAForgedSourceMacFromTheMiddleBoxNeverReachVm1OrVm3() throws Exception {
        Frames frames = new Frames(dataDir);
        Frames.Endpoint vm2OnNet1 = endpoint("vm2", "eth1", "vm2-net1");
        Frames.Endpoint vm2OnNet2 = endpoint("vm2", "eth2", "vm2-net2");
        Frames.Endpoint vm1 = endpoint("vm1", "eth1", "vm1-net1");
        Frames.Endpoint vm3 = endpoint("vm3", "eth1", "vm3-net2");
        String vm1Address = address("vm1-net1");
        String vm3Address = address("vm3-net2");
        String forged = "fa:16:3e:66:66:01";

        // With its own MAC, VM2's ICMP from an address that is not on any port passes (its group allows ICMP)...
        assertThat(frames.sendAndCount(vm2OnNet1, vm1, vm2OnNet1.mac(), "0x0800", 20, VIRTUAL_ON_NET1, vm1Address))
                .isEqualTo(20);
        // ...and with a forged one, nothing does, on either network.
        assertThat(frames.sendAndCount(vm2OnNet1, vm1, forged, "0x0800", 20, VIRTUAL_ON_NET1, vm1Address)).isZero();
        assertThat(frames.sendAndCount(vm2OnNet2, vm3, forged, "0x0800", 20, VIRTUAL_ON_NET2, vm3Address)).isZero();
        // Claiming VM1's MAC does not teach the bridge that VM1 lives behind VM2's port.
        assertThat(frames.sendAndCount(vm2OnNet1, vm1, vm1.mac(), "0x0800", 5, VIRTUAL_ON_NET1, vm1Address)).isZero();
        String bridge = "brq" + json("network", "show", "net1").get("id").asText().substring(0, 11);
        String learned = HostShell.run("bridge", "fdb", "show", "br", bridge);
        String vm1Tap = "tap" + json("port", "show", "vm1-net1").get("id").asText().substring(0, 11);
        assertThat(learned.lines().filter(l -> l.startsWith(vm1.mac() + " ")).toList()).as(learned)
                .isNotEmpty().allMatch(l -> l.contains("dev " + vm1Tap));
        assertThat(learned).doesNotContain(forged);
    }

    @Test
    @Order(6)
    void anMplsFramePassesOnlyWhileItsEthertypeIsAllowedOnBothPorts() throws Exception {
        Frames frames = new Frames(dataDir);
        Frames.Endpoint vm2OnNet1 = endpoint("vm2", "eth1", "vm2-net1");
        Frames.Endpoint vm1 = endpoint("vm1", "eth1", "vm1-net1");
        PortsideCli portside = new PortsideCli(SpecScenarioTest.portside.openrcVariables());

        assertThat(frames.sendAndCount(vm2OnNet1, vm1, vm2OnNet1.mac(), "0x8847", 20)).isZero();
        portside.ok("port", "set", "--allowed-ethertype", "0x8847", "vm2-net1");
        assertThat(frames.sendAndCount(vm2OnNet1, vm1, vm2OnNet1.mac(), "0x8847", 20)).isZero();
        assertThat(portside.ok("port", "set", "--allowed-ethertype", "0x8847", "vm1-net1").out())
                .contains("allowed_ethertypes     0x8847");
        assertThat(frames.sendAndCount(vm2OnNet1, vm1, vm2OnNet1.mac(), "0x8847", 20)).isEqualTo(20);
        // Allowed ethertypes do not open the MAC check.
        assertThat(frames.sendAndCount(vm2OnNet1, vm1, "fa:16:3e:66:66:02", "0x8847", 20)).isZero();
        // Another ethertype stays out.
        assertThat(frames.sendAndCount(vm2OnNet1, vm1, vm2OnNet1.mac(), "0x894f", 20)).isZero();

        portside.ok("port", "unset", "--allowed-ethertype", "0x8847", "vm2-net1");
        assertThat(frames.sendAndCount(vm2OnNet1, vm1, vm2OnNet1.mac(), "0x8847", 20)).isZero();
    }

    @Test
    @Order(7)
    void theOperatorsPageShowsTheScenarioWithVm2sPortsUnaddressedTheirTrafficAndDropsToItsProjectOnly()
            throws Exception {
        ok("project", "create", "elsewhere");
        ok("user", "create", "--project", "elsewhere", "--password", "watch-it", "watcher");
        ok("role", "add", "--project", "elsewhere", "--user", "watcher", "reader");
        String vm2Net1 = json("port", "show", "vm2-net1").get("id").asText();
        String vm2Net2 = json("port", "show", "vm2-net2").get("id").asText();
        Map<String, String> admin = portside.openrcVariables();
        String page = "http://127.0.0.1:" + portside.operatorPort;
        try (OperatorPage browser = new OperatorPage(page + "/", dataDir.resolve("chromium"))) {
            browser.open();
            browser.logIn("admin", "not-" + admin.get("OS_PASSWORD"), "admin");
            assertThat(browser.loginError()).contains("requires authentication");
            browser.screenshot("wrong-password");

            browser.logIn("admin", admin.get("OS_PASSWORD"), "admin");
            assertThat(browser.awaitTopology()).startsWith("Project admin: 3 networks, 3 instances");
            assertThat(browser.instances()).containsExactlyInAnyOrder("vm1", "vm2", "vm3");
            assertThat(browser.networks()).containsExactlyInAnyOrder("mgmt", "net1", "net2");
            assertThat(browser.unaddressedEdges()).containsExactlyInAnyOrder(vm2Net1, vm2Net2);
            for (String port : new String[]{vm2Net1, vm2Net2}) {
                OperatorPage.Row row = browser.awaitPort(port, r -> r.in() >= 0);
                assertThat(row.unaddressed()).isTrue();
                assertThat(row.instance()).isEqualTo("vm2");
                assertThat(row.address()).isEqualTo("unaddressed (ip_allocation: none)");
                assertThat(row.security()).startsWith("unaddressed MAC filtering");
                assertThat(row.status()).isEqualTo("ACTIVE");
            }
            assertThat(browser.port(json("port", "show", "vm1-net1").get("id").asText()).orElseThrow())
                    .satisfies(row -> assertThat(row.unaddressed()).isFalse())
                    .satisfies(row -> assertThat(row.address()).isEqualTo(address("vm1-net1")));
            assertThat(browser.clickEdge(vm2Net1)).containsExactly("Port vm2-net1", "openstack port show " + vm2Net1);

            // VM1 pings VM3 through VM2: the traffic shows on both of VM2's unaddressed ports, both ways.
            OperatorPage.Row net1 = browser.awaitPort(vm2Net1, r -> r.in() >= 0);
            OperatorPage.Row net2 = browser.awaitPort(vm2Net2, r -> r.in() >= 0);
            assertThat(onVm("vm1", "ping -c 20 -i 0.2 -W2 " + VIRTUAL_ON_NET1)).contains("20 received");
            browser.awaitPort(vm2Net1, r -> r.in() >= net1.in() + 20 && r.out() >= net1.out() + 20);
            browser.awaitPort(vm2Net2, r -> r.in() >= net2.in() + 20 && r.out() >= net2.out() + 20);

            // VM2 forges its source MAC: dropped, and counted on its port, by reason.
            Frames.Endpoint vm2OnNet1 = endpoint("vm2", "eth1", "vm2-net1");
            Frames.Endpoint vm1 = endpoint("vm1", "eth1", "vm1-net1");
            long dropped = browser.awaitPort(vm2Net1, r -> r.dropped() >= 0).dropped();
            assertThat(new Frames(dataDir).sendAndCount(vm2OnNet1, vm1, "fa:16:3e:66:66:03", "0x0800", 10,
                    VIRTUAL_ON_NET1, address("vm1-net1"))).isZero();
            assertThat(browser.awaitPort(vm2Net1, r -> r.dropped() >= dropped + 10).droppedReasons())
                    .contains("egress mac");
            browser.screenshot("scenario");

            // An admin may look at another project: nothing of the scenario is there.
            browser.switchProject("elsewhere");
            assertThat(browser.awaitTopology()).startsWith("Project elsewhere: 0 networks, 0 instances, 0 ports");
            browser.logOut();

            // A reader of another project sees none of it, on the page nor from its counters.
            browser.logIn("watcher", "watch-it", "elsewhere");
            assertThat(browser.awaitTopology()).startsWith("Project elsewhere: 0 networks, 0 instances, 0 ports");
            assertThat(browser.instances()).isEmpty();
            assertThat(browser.networks()).isEmpty();
            assertThat(browser.portRows()).isZero();
            browser.screenshot("another-project");
        }
        OpenstackCli watcher = cli.with("OS_USERNAME", "watcher").with("OS_PASSWORD", "watch-it")
                .with("OS_PROJECT_NAME", "elsewhere");
        String token = watcher.ok("token", "issue", "-f", "value", "-c", "id").out().strip();
        Http operator = new Http(page);
        assertThat(operator.get("/v1/port-counters", token).json().get("port_counters")).isEmpty();
        String adminToken = ok("token", "issue", "-f", "value", "-c", "id").out().strip();
        assertThat(operator.get("/v1/port-counters", adminToken).json().findValuesAsText("port_id"))
                .contains(vm2Net1, vm2Net2);
        assertThat(operator.get("/v1/port-counters", "not-a-token").status()).isEqualTo(401);
    }

    @Test
    @Order(8)
    void deletingEverythingLeavesNoNamespaceVethBridgeOrNftTable() throws Exception {
        for (String vm : new String[]{"vm1", "vm2", "vm3"}) {
            ok("server", "delete", "--wait", vm);
        }
        assertThat(HostShell.run("ip", "netns", "list")).doesNotContain("portside-");
        assertThat(HostShell.run("ip", "-o", "link", "show")).doesNotContain("brq").doesNotContain(": tap");
        assertThat(HostShell.run("nft", "list", "tables")).doesNotContain("portside");
    }
}
