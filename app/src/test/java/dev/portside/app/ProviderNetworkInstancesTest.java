package dev.portside.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portside.common.testing.Http;
import dev.portside.common.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Provider networks on real namespace instances (as root). The test plays the physical network: a
 * veth pair whose host end, {@code pstphys0}, is mapped to physnet1, and whose far end sits in a
 * namespace of the test's, "outside", the router a provider network's gateway is. An instance on a
 * flat network answers the outside untagged; one on a VLAN network answers only on that VLAN; the
 * bridge holds the uplink, not a gateway address, and lets go of it when its last port goes.
 */
class ProviderNetworkInstancesTest {
    private static final String PHYS = "pstphys0";
    private static final String OUTSIDE = "pstest-outside";
    private static final String OUTSIDE_LINK = "pstout0";

    @TempDir
    Path dataDir;
    Cloud cloud;
    boolean vlans;

    @BeforeEach
    void start() throws Exception {
        removeOutside();
        HostShell.run("ip", "netns", "add", OUTSIDE);
        HostShell.run("ip", "link", "add", PHYS, "type", "veth", "peer", "name", OUTSIDE_LINK);
        HostShell.run("ip", "link", "set", OUTSIDE_LINK, "netns", OUTSIDE);
        outside("ip", "link", "set", "lo", "up");
        outside("ip", "link", "set", OUTSIDE_LINK, "up");
        outside("ip", "addr", "add", "203.0.113.1/24", "dev", OUTSIDE_LINK);
        // A kernel without 802.1Q (8021q) makes no VLAN interface, on either side.
        vlans = HostShell.succeeds("ip", "netns", "exec", OUTSIDE, "ip", "link", "add", "link", OUTSIDE_LINK, "name",
                OUTSIDE_LINK + ".200", "type", "vlan", "id", "200");
        if (vlans) {
            outside("ip", "link", "set", OUTSIDE_LINK + ".200", "up");
            outside("ip", "addr", "add", "198.51.100.1/24", "dev", OUTSIDE_LINK + ".200");
        }
        cloud = new Cloud(TestDatabase.configured().getFirst(), dataDir, "compute_driver: namespace\n"
                + "physical_interface_mappings: {physnet1: " + PHYS + "}\n"
                + "network_vlan_ranges: [\"physnet1:200:209\"]\n");
        cloud.allowIngress(cloud.alpha, "\"protocol\": \"icmp\"");
    }

    @AfterEach
    void stop() throws Exception {
        try {
            if (cloud != null) {
                cloud.close();
            }
        } finally {
            removeOutside();
        }
    }

    private static void removeOutside() throws Exception {
        HostShell.run("ip", "netns", "del", OUTSIDE);
        HostShell.run("ip", "link", "del", PHYS);
    }

    private static String outside(String... command) throws Exception {
        String[] full = new String[command.length + 4];
        System.arraycopy(new String[]{"ip", "netns", "exec", OUTSIDE}, 0, full, 0, 4);
        System.arraycopy(command, 0, full, 4, command.length);
        return HostShell.run(full);
    }

    /** An admin's shared provider network with one subnet whose gateway is the outside namespace. */
    private String providerNetwork(String attributes, String cidr, String gateway) {
        Http.Reply made = cloud.network.post("/v2.0/networks", cloud.admin, "{\"network\": {\"name\": \"provider\","
                + " \"shared\": true, " + attributes + "}}");
        assertThat(made.status()).as(made.toString()).isEqualTo(201);
        String id = made.json().at("/network/id").asText();
        Http.Reply subnet = cloud.network.post("/v2.0/subnets", cloud.admin, "{\"subnet\": {\"network_id\": \"" + id
                + "\", \"ip_version\": 4, \"cidr\": \"" + cidr + "\", \"gateway_ip\": \"" + gateway + "\"}}");
        assertThat(subnet.status()).as(subnet.toString()).isEqualTo(201);
        return id;
    }

    private JsonNode boot(String name, String networkId) {
        String id = cloud.bootOk(cloud.alpha, name, "[{\"uuid\": \"" + networkId + "\"}]");
        JsonNode server = cloud.settled(cloud.alpha, id);
        assertThat(server.get("status").asText()).as(server.toString()).isEqualTo("ACTIVE");
        return server;
    }

    private static boolean pingsFromOutside(String address) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
        while (Instant.now().isBefore(deadline)) {
            if (HostShell.succeeds("ip", "netns", "exec", OUTSIDE, "ping", "-c", "1", "-W", "1", address)) {
                return true;
            }
        }
        return false;
    }

    @Test
    void anInstanceOnAFlatNetworkAnswersTheOutsideThroughTheMappedInterface() throws Exception {
        String network = providerNetwork("\"provider:network_type\": \"flat\", \"provider:physical_network\": \"physnet1\"",
                "203.0.113.0/24", "203.0.113.1");
        JsonNode server = boot("edge1", network);
        String address = server.at("/addresses/provider/0/addr").asText();
        assertThat(address).startsWith("203.0.113.");

        assertThat(pingsFromOutside(address)).as("the outside reaches " + address + " untagged").isTrue();
        String bridge = "brq" + network.substring(0, 11);
        assertThat(HostShell.run("ip", "-o", "link", "show", "master", bridge)).contains(PHYS);
        assertThat(HostShell.run("ip", "-4", "-o", "addr", "show", "dev", bridge))
                .as("the gateway is the outside router, not the host").doesNotContain("203.0.113.1");

        assertThat(cloud.compute.send("DELETE", "/servers/" + server.get("id").asText(), cloud.alpha, null).status())
                .isEqualTo(204);
        cloud.gone(cloud.alpha, server.get("id").asText());
        assertThat(HostShell.succeeds("ip", "link", "show", "dev", bridge)).as("the bridge goes with its last port")
                .isFalse();
        assertThat(HostShell.run("ip", "-o", "link", "show", "dev", PHYS)).as("the host's interface stays, freed")
                .contains(PHYS).doesNotContain("master");
    }

    /**
     * The spec's middle box at the edge of the cloud: VM2's two unaddressed ports, one on the flat
     * provider network and one on a tenant network, with Portside's port security for unaddressed
     * ports on both; VM2 NATs a virtual address the outside pings to VM3 on the tenant network.
     */
    @Test
    void aMiddleBoxNatsBetweenTheOutsideOnAProviderNetworkAndATenantNetworkThroughUnaddressedPorts()
            throws Exception {
        String outsideNet = providerNetwork("\"provider:network_type\": \"flat\", \"provider:physical_network\": \"physnet1\"",
                "203.0.113.0/24", "203.0.113.1");
        String mgmt = cloud.network(cloud.alpha, "mgmt", "10.120.0.0/24");
        String net2 = cloud.network(cloud.alpha, "net2", "10.122.0.0/24");
        cloud.allowIngress(cloud.alpha, "\"protocol\": \"tcp\", \"port_range_min\": 22, \"port_range_max\": 22");
        Ssh ssh = new Ssh(dataDir, cloud.compute.post("/os-keypairs", cloud.alpha, "{\"keypair\": {\"name\": \"k\"}}")
                .json().at("/keypair/private_key").asText());
        String toOutside = cloud.port(cloud.alpha, outsideNet, "\"fixed_ips\": []");
        String toNet2 = cloud.port(cloud.alpha, net2, "\"fixed_ips\": []");
        String vm2 = bootWithKey("vm2", "[{\"uuid\": \"" + mgmt + "\"}, {\"port\": \"" + toOutside + "\"}, {\"port\": \""
                + toNet2 + "\"}]").at("/addresses/mgmt/0/addr").asText();
        JsonNode vm3Server = bootWithKey("vm3", "[{\"uuid\": \"" + mgmt + "\"}, {\"uuid\": \"" + net2 + "\"}]");
        String vm3 = vm3Server.at("/addresses/mgmt/0/addr").asText();
        String vm3OnNet2 = vm3Server.at("/addresses/net2/0/addr").asText();
        String outsideMac = outside("cat", "/sys/class/net/" + OUTSIDE_LINK + "/address").strip();

        assertThat(ssh.await(vm2, "ip -o -4 addr show eth1; ip -o -4 addr show eth2")).as("unaddressed").isBlank();
        ssh.await(vm2, String.join(" && ",
                "sysctl -qw net.ipv4.ip_forward=1",
                "ip route replace 203.0.113.0/24 dev eth1",
                "ip route replace 10.122.0.0/24 dev eth2",
                "ip neigh replace 203.0.113.1 lladdr " + outsideMac + " dev eth1",
                "ip neigh replace " + vm3OnNet2 + " lladdr " + mac(vm3Server, "net2") + " dev eth2",
                "iptables -t nat -A PREROUTING -i eth1 -d 203.0.113.100 -j DNAT --to-destination " + vm3OnNet2,
                "iptables -t nat -A POSTROUTING -o eth2 -j SNAT --to-source 10.122.0.100", "echo ok"));
        ssh.await(vm3, "ip neigh replace 10.122.0.100 lladdr " + cloud.portShow(toNet2).get("mac_address").asText()
                + " dev eth1 && echo ok");
        outside("ip", "neigh", "replace", "203.0.113.100", "lladdr", cloud.portShow(toOutside).get("mac_address").asText(),
                "dev", OUTSIDE_LINK);

        assertThat(pingsFromOutside("203.0.113.100")).as("the outside reaches VM3 through VM2's NAT").isTrue();
        String counters = ssh.await(vm2, "iptables -t nat -L PREROUTING -v -n -x");
        long packets = Long.parseLong(counters.lines().filter(l -> l.contains("DNAT")).findFirst().orElseThrow()
                .strip().split("\\s+")[0]);
        assertThat(packets).as("the middle box did it").isPositive();
    }

    private JsonNode bootWithKey(String name, String networks) {
        Http.Reply reply = cloud.compute.post("/servers", cloud.alpha, """
                {"server": {"name": "%s", "imageRef": "%s", "flavorRef": "1", "key_name": "k", "networks": %s}}"""
                .formatted(name, cloud.defaultImage, networks));
        assertThat(reply.status()).as(reply.toString()).isEqualTo(202);
        JsonNode server = cloud.settled(cloud.alpha, reply.json().at("/server/id").asText());
        assertThat(server.get("status").asText()).as(server.toString()).isEqualTo("ACTIVE");
        return server;
    }

    private static String mac(JsonNode server, String network) {
        return server.at("/addresses/" + network + "/0/OS-EXT-IPS-MAC:mac_addr").asText();
    }

    /**
     * Where the kernel has 802.1Q, the instance answers the outside on VLAN 200 and not untagged; where
     * it has not (this project's CI machine), the boot fails with a fault that says so and leaves
     * nothing behind, rather than wiring a network that would carry nothing.
     */
    @Test
    void anInstanceOnAVlanNetworkAnswersOnlyOnItsVlanOrTheBootSaysTheKernelCannot() throws Exception {
        String network = providerNetwork("\"provider:network_type\": \"vlan\", \"provider:physical_network\": \"physnet1\"",
                "198.51.100.0/24", "198.51.100.1");
        assertThat(cloud.network.get("/v2.0/networks/" + network, cloud.admin).json()
                .at("/network/provider:segmentation_id").asInt()).as("the lowest of the range").isEqualTo(200);
        String bridge = "brq" + network.substring(0, 11);
        String id = cloud.bootOk(cloud.alpha, "edge2", "[{\"uuid\": \"" + network + "\"}]");
        JsonNode server = cloud.settled(cloud.alpha, id);
        if (!vlans) {
            assertThat(server.get("status").asText()).isEqualTo("ERROR");
            assertThat(server.at("/fault/message").asText()).contains("no VLAN interfaces (802.1Q");
            assertThat(HostShell.succeeds("ip", "link", "show", "dev", bridge)).as("nothing left wired").isFalse();
            return;
        }
        assertThat(server.get("status").asText()).as(server.toString()).isEqualTo("ACTIVE");
        String address = server.at("/addresses/provider/0/addr").asText();

        assertThat(pingsFromOutside(address)).as("the outside reaches " + address + " on VLAN 200").isTrue();
        assertThat(HostShell.run("ip", "-o", "link", "show", "master", bridge)).contains(PHYS + ".200")
                .doesNotContain(PHYS + ":");
        // Untagged, the same address is not there: move the outside's address off the VLAN and try.
        outside("ip", "addr", "del", "198.51.100.1/24", "dev", OUTSIDE_LINK + ".200");
        outside("ip", "addr", "add", "198.51.100.1/24", "dev", OUTSIDE_LINK);
        assertThat(HostShell.succeeds("ip", "netns", "exec", OUTSIDE, "ping", "-c", "2", "-W", "1", address))
                .as("untagged frames do not reach the VLAN network").isFalse();

        assertThat(cloud.compute.send("DELETE", "/servers/" + id, cloud.alpha, null).status()).isEqualTo(204);
        cloud.gone(cloud.alpha, id);
        assertThat(HostShell.succeeds("ip", "link", "show", "dev", PHYS + ".200")).as("the VLAN interface is Portside's")
                .isFalse();
    }
}
