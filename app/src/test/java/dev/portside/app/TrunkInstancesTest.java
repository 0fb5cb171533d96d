package dev.portside.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portside.common.testing.Http;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * End to end, as root: a VLAN-aware namespace instance on a trunk, driven by the unmodified
 * openstack CLI against a real portside serve. vm1 boots on the trunk's parent with sub-port sub-a
 * (addressed, on vlan-a) on VLAN 100; sub-b (unaddressed, on vlan-b) joins on VLAN 200 while vm1
 * runs, and sub-a leaves. peer-a, peer-b and peer-parent are instances on vlan-a, vlan-b and the
 * parent's network. Frames are sent and
 * counted raw inside the instances ({@link Frames}): each VLAN reaches its own network and no other,
 * both ways, and each sub-port's port security judges its own frames.
 */
class TrunkInstancesTest {
    private static final String BROADCAST = "ff:ff:ff:ff:ff:ff";
    private static final String IPV4 = "0x0800";
    private static final int FRAMES = 5;

    @TempDir
    static Path dataDir;
    static ServeProcess portside;
    static OpenstackCli cli;
    static Frames frames;

    @BeforeAll
    static void serve() throws Exception {
        Path config = dataDir.resolve("portside.yaml");
        Files.writeString(config, "compute_driver: namespace\n");
        portside = new ServeProcess(dataDir.resolve("portside"), "--config", config.toString()).awaitReady();
        cli = new OpenstackCli(portside.openrcVariables());
        frames = new Frames(dataDir);
    }

    @AfterAll
    static void stop() throws Exception {
        for (JsonNode server : cli.json("server", "list")) {
            cli.run("server", "delete", "--wait", server.get("ID").asText());
        }
        portside.close();
    }

    @Test
    void eachVlanOfATrunkCarriesItsOwnNetworkAndSubPortsComeAndGoOnARunningInstance() throws Exception {
        for (String[] net : new String[][]{{"trunk-parent", "10.140.0.0/24"}, {"vlan-a", "10.141.0.0/24"},
                {"vlan-b", "10.142.0.0/24"}}) {
            cli.ok("network", "create", net[0]);
            cli.ok("subnet", "create", "--network", net[0], "--subnet-range", net[1], net[0] + "-subnet");
        }
        cli.ok("security", "group", "rule", "create", "--ingress", "--protocol", "icmp", "default");
        cli.ok("port", "create", "--network", "trunk-parent", "parent0");
        cli.ok("port", "create", "--network", "vlan-a", "sub-a");
        cli.ok("port", "create", "--network", "vlan-b", "--no-fixed-ip", "sub-b");
        cli.ok("network", "trunk", "create", "--parent-port", "parent0",
                "--subport", "port=sub-a,segmentation-type=vlan,segmentation-id=100", "trunk0");
        Frames.Endpoint vm1 = boot("vm1", "port-id=parent0");
        Frames.Endpoint peerA = boot("peer-a", "net-id=vlan-a");
        Frames.Endpoint peerB = boot("peer-b", "net-id=vlan-b");
        Frames.Endpoint peerParent = boot("peer-parent", "net-id=trunk-parent");
        JsonNode subA = cli.json("port", "show", "sub-a");
        JsonNode subB = cli.json("port", "show", "sub-b");
        String subAIp = subA.at("/fixed_ips/0/ip_address").asText();
        String peerAIp = address("peer-a", "vlan-a");
        String peerBIp = address("peer-b", "vlan-b");

        // Wired with the instance: the trunk and its sub-port are up, on the parent's host.
        assertThat(cli.json("network", "trunk", "show", "trunk0").get("status").asText()).isEqualTo("ACTIVE");
        assertThat(subA.get("status").asText()).isEqualTo("ACTIVE");
        assertThat(subA.get("binding_host_id").asText())
                .isEqualTo(cli.json("port", "show", "parent0").get("binding_host_id").asText());
        assertThat(subA.get("device_owner").asText()).isEqualTo("trunk:subport");
        // The instance has VLAN 100 as an interface with the sub-port's MAC and address.
        assertThat(HostShell.run("ip", "-n", vm1.namespace(), "-o", "addr", "show", "dev", "eth0.100"))
                .contains(subAIp + "/24");
        assertThat(HostShell.run("ip", "-n", vm1.namespace(), "-o", "link", "show", "dev", "eth0.100"))
                .contains(subA.get("mac_address").asText());
        assertThat(HostShell.succeeds("ip", "netns", "exec", vm1.namespace(), "ping", "-c", "1", "-W", "5", "-I",
                "eth0.100", peerAIp)).as("vm1 pings peer-a over VLAN 100").isTrue();

        Frames.Endpoint vlan100 = new Frames.Endpoint(vm1.namespace(), "eth0.100", subA.get("mac_address").asText());
        String macA = subA.get("mac_address").asText();
        assertThat(frames.sendAndCount(vlan100, everyone(peerA), macA, IPV4, FRAMES, subAIp, peerAIp))
                .as("VLAN 100 reaches vlan-a").isEqualTo(FRAMES);
        assertThat(frames.sendAndCount(vlan100, everyone(peerB), macA, IPV4, FRAMES, subAIp, peerBIp))
                .as("and not vlan-b").isZero();
        assertThat(frames.sendAndCount(peerA, everyone(vlan100), peerA.mac(), IPV4, FRAMES, peerAIp, subAIp))
                .as("vlan-a reaches vm1 on VLAN 100").isEqualTo(FRAMES);
        assertThat(frames.sendAndCount(peerB, everyone(vlan100), peerB.mac(), IPV4, FRAMES, peerBIp, subAIp))
                .as("vlan-b does not").isZero();
        Map<String, String> forgedOnSubA = Map.of("port_id", subA.get("id").asText(), "direction", "egress",
                "reason", "mac");
        double droppedBefore = metric("portside_port_dropped_packets_total", forgedOnSubA);
        assertThat(frames.sendAndCount(vlan100, everyone(peerA), "fa:16:3e:99:99:99", IPV4, FRAMES, subAIp, peerAIp))
                .as("sub-a's port security drops a forged MAC on VLAN 100").isZero();
        assertThat(metric("portside_port_dropped_packets_total", forgedOnSubA))
                .as("and the operator sees each drop, counted against sub-a").isEqualTo(droppedBefore + FRAMES);

        // sub-b joins the running instance on VLAN 200; unaddressed, its port security filters by MAC.
        cli.ok("network", "trunk", "set", "--subport", "port=sub-b,segmentation-type=vlan,segmentation-id=200", "trunk0");
        assertThat(cli.json("network", "trunk", "show", "trunk0").get("status").asText()).isEqualTo("ACTIVE");
        assertThat(metric("portside_port_dropped_packets_total", forgedOnSubA))
                .as("counts run on when the filtering is rendered again").isEqualTo(droppedBefore + FRAMES);
        assertThat(cli.json("port", "show", "sub-b").get("status").asText()).isEqualTo("ACTIVE");
        String macB = subB.get("mac_address").asText();
        Frames.Endpoint vlan200 = new Frames.Endpoint(vm1.namespace(), "eth0.200", macB);
        assertThat(HostShell.run("ip", "-n", vm1.namespace(), "-o", "link", "show", "dev", "eth0.200")).contains(macB);
        assertThat(frames.sendAndCount(vlan200, everyone(peerB), macB, IPV4, FRAMES, "10.142.0.250", peerBIp))
                .as("VLAN 200 reaches vlan-b").isEqualTo(FRAMES);
        assertThat(frames.sendAndCount(vlan200, everyone(peerA), macB, IPV4, FRAMES, "10.142.0.250", peerAIp))
                .as("and not vlan-a").isZero();
        assertThat(frames.sendAndCount(peerB, everyone(vlan200), peerB.mac(), IPV4, FRAMES, peerBIp, "10.142.0.250"))
                .as("vlan-b reaches vm1 on VLAN 200").isEqualTo(FRAMES);
        assertThat(frames.sendAndCount(vlan200, everyone(peerB), "fa:16:3e:99:99:98", IPV4, FRAMES, "10.142.0.250",
                peerBIp)).as("sub-b's port security drops a forged MAC on VLAN 200").isZero();

        // The parent's own network gets vm1's untagged frames, and no VLAN's, known or not.
        String parentIp = cli.json("port", "show", "parent0").at("/fixed_ips/0/ip_address").asText();
        String peerPIp = address("peer-parent", "trunk-parent");
        assertThat(frames.sendAndCount(vm1, everyone(peerParent), vm1.mac(), IPV4, FRAMES, parentIp, peerPIp))
                .as("untagged frames are the parent's").isEqualTo(FRAMES);
        assertThat(frames.sendTaggedAndCount(300, vm1, everyone(peerParent), vm1.mac(), IPV4, FRAMES, parentIp, peerPIp))
                .as("a VLAN the trunk does not have goes nowhere").isZero();
        assertThat(frames.sendAndCount(vlan200, everyone(peerParent), macB, IPV4, FRAMES, "10.142.0.250", peerPIp))
                .as("VLAN 200 stays off the parent's network").isZero();

        // A refused change leaves the trunk as it was.
        JsonNode before = cli.json("network", "trunk", "show", "trunk0");
        cli.ok("port", "create", "--network", "vlan-a", "sub-c");
        OpenstackCli.Result duplicate = cli.run("network", "trunk", "set", "--subport",
                "port=sub-c,segmentation-type=vlan,segmentation-id=200", "trunk0");
        assertThat(duplicate.exit()).isNotZero();
        assertThat(duplicate.err()).contains("segmentation_id 200 already in use");
        OpenstackCli.Result inUse = cli.run("network", "trunk", "delete", "trunk0");
        assertThat(inUse.exit()).isNotZero();
        assertThat(inUse.err()).contains("in use");
        assertThat(cli.json("network", "trunk", "show", "trunk0").get("sub_ports"))
                .isEqualTo(before.get("sub_ports"));

        // sub-a leaves: VLAN 100 stops, both ways, and the port is free again.
        cli.ok("network", "trunk", "unset", "--subport", "sub-a", "trunk0");
        assertThat(HostShell.succeeds("ip", "-n", vm1.namespace(), "link", "show", "dev", "eth0.100")).isFalse();
        assertThat(frames.sendTaggedAndCount(100, vm1, everyone(peerA), macA, IPV4, FRAMES, subAIp, peerAIp))
                .as("VLAN 100 no longer reaches vlan-a").isZero();
        assertThat(frames.sendAndCount(peerA, everyone(vm1), peerA.mac(), IPV4, FRAMES, peerAIp, subAIp))
                .as("nor vlan-a vm1").isZero();
        JsonNode freed = cli.json("port", "show", "sub-a");
        assertThat(freed.get("status").asText()).isEqualTo("DOWN");
        assertThat(freed.get("binding_host_id").asText()).isEmpty();
        assertThat(frames.sendAndCount(vlan200, everyone(peerB), macB, IPV4, FRAMES, "10.142.0.250", peerBIp))
                .as("VLAN 200 carries on").isEqualTo(FRAMES);

        assertThat(metric("portside_firewall_applies_seconds_count", Map.of("result", "applied")))
                .as("the operator sees the host's filtering applied, each change of it").isGreaterThan(3);

        // The instance goes: the trunk is down and nothing of its wiring is left on the host.
        cli.ok("server", "delete", "--wait", "vm1");
        assertThat(cli.json("network", "trunk", "show", "trunk0").get("status").asText()).isEqualTo("DOWN");
        assertThat(cli.json("port", "show", "sub-b").get("status").asText()).isEqualTo("DOWN");
        assertThat(HostShell.run("ip", "-o", "link", "show")).doesNotContain("spt" + subB.get("id").asText()
                .substring(0, 11), "tap" + subB.get("id").asText().substring(0, 11));
    }

    // The sum of a metric's samples with these labels, scraped from the operator's /metrics now.
    private static double metric(String name, Map<String, String> labels) throws Exception {
        return OperatorTest.parse(new Http("http://127.0.0.1:" + portside.operatorPort).get("/metrics", null).text())
                .stream().filter(s -> s.name().equals(name) && labels.entrySet().stream()
                        .allMatch(e -> e.getValue().equals(s.labels().get(e.getKey()))))
                .mapToDouble(OperatorTest.Sample::value).sum();
    }

    private static Frames.Endpoint boot(String name, String nic) throws Exception {
        JsonNode server = cli.json("server", "create", "--image", DefaultImage.NAME, "--flavor", "m1.tiny", "--nic", nic,
                "--wait", name);
        assertThat(server.get("status").asText()).as(server.toString()).isEqualTo("ACTIVE");
        String id = server.get("id").asText();
        String mac = HostShell.run("ip", "netns", "exec", Frames.namespace(id), "cat", "/sys/class/net/eth0/address")
                .strip();
        return new Frames.Endpoint(Frames.namespace(id), "eth0", mac);
    }

    private static String address(String server, String network) throws Exception {
        JsonNode addresses = cli.json("server", "show", server).get("addresses");
        return addresses.get(network).get(0).asText();
    }

    // Frames to the broadcast address: flooded to every port of the network they are on, and no further.
    private static Frames.Endpoint everyone(Frames.Endpoint to) {
        return new Frames.Endpoint(to.namespace(), to.device(), BROADCAST);
    }
}
