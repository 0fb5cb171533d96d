package dev.portside.app;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;


import static org.assertj.core.api.Assertions.assertThat;

/**
 * The spec's scenario with all three instances as network namespaces, and what only a namespace
 * lets a test do: frames forged inside VM2 (another MAC, an ethertype its ports are not allowed)
 * never reach VM1 or VM3. Nothing is left on the host.
 */
class SpecScenarioTest extends MiddleBoxScenario {

    @BeforeAll
    static void serveWithNamespaces() throws Exception {
        serve("compute_driver: namespace\n", DefaultImage.NAME);
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
    void deletingEverythingLeavesNoNamespaceVethBridgeOrNftTable() throws Exception {
        for (String vm : new String[]{"vm1", "vm2", "vm3"}) {
            ok("server", "delete", "--wait", vm);
        }
        assertThat(HostShell.run("ip", "netns", "list")).doesNotContain("portside-");
        assertThat(HostShell.run("ip", "-o", "link", "show")).doesNotContain("brq").doesNotContain(": tap");
        assertThat(HostShell.run("nft", "list", "tables")).doesNotContain("portside");
    }
}
