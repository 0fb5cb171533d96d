package dev.portside.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portside.common.testing.Http;
import dev.portside.common.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Port security on real instances (namespace driver, nftables, as root), with the operator's
 * settings for strict OpenStack compatibility: security group rules decide what reaches a port, a
 * port cannot send from another address, a port without addresses but with port security passes no
 * IP traffic until port security is switched off on it (the in-tree behaviour the spec describes,
 * {@code unaddressed_port_security: in-tree}), and a port without port security may use only so
 * many source MACs ({@code mac_learning_limit}), which the bridge forgets after {@code mac_ageing_time}.
 */
class PortSecurityTest {
    @TempDir
    Path dataDir;
    Cloud cloud;
    Ssh ssh;
    String sshGroup;

    @BeforeEach
    void start() throws Exception {
        cloud = new Cloud(TestDatabase.configured().getFirst(), dataDir, """
                compute_driver: namespace
                unaddressed_port_security: in-tree
                mac_learning_limit: 4
                mac_ageing_time: 120
                """);
        Http.Reply key = cloud.compute.post("/os-keypairs", cloud.alpha, "{\"keypair\": {\"name\": \"k\"}}");
        ssh = new Ssh(dataDir, key.json().at("/keypair/private_key").asText());
        sshGroup = cloud.network.post("/v2.0/security-groups", cloud.alpha, "{\"security_group\": {\"name\": \"ssh\"}}")
                .json().at("/security_group/id").asText();
        for (String rule : new String[]{"\"protocol\": \"tcp\", \"port_range_min\": 22, \"port_range_max\": 22",
                "\"protocol\": \"icmp\""}) {
            Http.Reply added = cloud.network.post("/v2.0/security-group-rules", cloud.alpha, "{\"security_group_rule\": {"
                    + "\"security_group_id\": \"" + sshGroup + "\", \"direction\": \"ingress\", \"ethertype\": \"IPv4\", "
                    + rule + ", \"remote_ip_prefix\": \"0.0.0.0/0\"}}");
            assertThat(added.status()).as(added.toString()).isEqualTo(201);
        }
    }

    @AfterEach
    void stop() {
        cloud.close();
    }

    private String defaultGroup() {
        return cloud.network.get("/v2.0/security-groups?name=default", cloud.alpha).json().at("/security_groups/0/id")
                .asText();
    }

    /** Boots a server with a management port (default and ssh groups) and an unaddressed traffic port. */
    private String boot(String name, String mgmt, String traffic) {
        String port = cloud.port(cloud.alpha, mgmt, "\"security_groups\": [\"" + defaultGroup() + "\", \"" + sshGroup + "\"]");
        String id = cloud.compute.post("/servers", cloud.alpha, """
                {"server": {"name": "%s", "imageRef": "%s", "flavorRef": "1", "key_name": "k",
                 "networks": [{"port": "%s"}, {"port": "%s"}]}}""".formatted(name, cloud.defaultImage, port, traffic))
                .json().at("/server/id").asText();
        JsonNode server = cloud.settled(cloud.alpha, id);
        assertThat(server.get("status").asText()).as(server.toString()).isEqualTo("ACTIVE");
        return server.at("/addresses/mgmt/0/addr").asText();
    }

    private String serverId(String name) {
        return cloud.compute.get("/servers?name=" + name, cloud.alpha).json().at("/servers/0/id").asText();
    }

    private String mac(String portId) {
        return cloud.network.get("/v2.0/ports/" + portId, cloud.alpha).json().at("/port/mac_address").asText();
    }

    @Test
    void rulesAntiSpoofingTheUnaddressedPortsInTreeBehaviourAndTheMacLearningLimit() throws Exception {
        String mgmt = cloud.network(cloud.alpha, "mgmt", "10.241.0.0/24");
        String net1 = cloud.network(cloud.alpha, "net1", "10.242.0.0/24");
        String trafficA = cloud.port(cloud.alpha, net1, "\"fixed_ips\": []");
        String trafficB = cloud.port(cloud.alpha, net1, "\"fixed_ips\": []");
        String a = boot("vm-a", mgmt, trafficA);
        String b = boot("vm-b", mgmt, trafficB);

        // The ssh group lets the host in; the default group lets members of the group reach each other.
        assertThat(ssh.await(a, "hostname").strip()).isEqualTo("vm-a");
        assertThat(ssh.await(b, "hostname").strip()).isEqualTo("vm-b");
        assertThat(ssh.run(a, "ping -c1 -W2 " + b).exit()).isZero();
        assertThat(HostShell.run("nft", "list", "tables")).contains("bridge portside").contains("inet portside");

        // vm-a may not send from an address that is not its port's.
        assertThat(ssh.run(a, "ip addr add 10.241.0.200/24 dev eth0 && ping -c1 -W2 -I 10.241.0.200 " + b).exit())
                .isNotZero();

        // The unaddressed ports carry no IP while port security is on: the in-tree behaviour.
        ssh.await(a, "ip addr add 10.250.0.1/24 dev eth1");
        ssh.await(b, "ip addr add 10.250.0.2/24 dev eth1");
        assertThat(ssh.run(a, "ping -c1 -W2 10.250.0.2").exit()).isNotZero();

        // The documented workaround: port security off (and its groups removed) on both traffic ports.
        for (String port : new String[]{trafficA, trafficB}) {
            Http.Reply off = cloud.network.send("PUT", "/v2.0/ports/" + port, cloud.alpha,
                    "{\"port\": {\"port_security_enabled\": false, \"security_groups\": []}}");
            assertThat(off.status()).as(off.toString()).isEqualTo(200);
        }
        // The refused ARP left vm-a's neighbour entry FAILED; it asks again once the entry is gone.
        Ssh.Result passes = ssh.run(a, "ip neigh flush dev eth1; ping -c1 -W2 10.250.0.2");
        assertThat(passes.exit()).as(passes.out() + HostShell.run("nft", "list", "ruleset")).isZero();

        // Without port security, vm-a's port may use 4 source MACs at once: its own and 3 more.
        String bridge = "brq" + net1.substring(0, 11);
        String tapA = "tap" + trafficA.substring(0, 11);
        assertThat(Files.readString(Path.of("/sys/class/net", bridge, "bridge", "ageing_time")).strip()).isEqualTo("12000");
        Frames frames = new Frames(dataDir);
        Frames.Endpoint fromA = new Frames.Endpoint(Frames.namespace(serverId("vm-a")), "eth1", mac(trafficA));
        Frames.Endpoint toB = new Frames.Endpoint(Frames.namespace(serverId("vm-b")), "eth1", mac(trafficB));
        int through = 0;
        for (int i = 0; i < 8; i++) {
            through += frames.sendAndCount(fromA, toB, String.format("fa:16:3e:77:77:%02x", i), "0x88b5", 1);
        }
        assertThat(through).isEqualTo(3);
        assertThat(HostShell.run("bridge", "fdb", "show", "br", bridge).lines()
                .filter(l -> l.contains("dev " + tapA) && !l.contains("permanent"))).hasSize(4);
        // Any change re-renders the port filtering; the MACs vm-a's port has used are still counted.
        Http.Reply renamed = cloud.network.send("PUT", "/v2.0/ports/" + trafficB, cloud.alpha,
                "{\"port\": {\"name\": \"renamed\"}}");
        assertThat(renamed.status()).isEqualTo(200);
        assertThat(frames.sendAndCount(fromA, toB, "fa:16:3e:77:77:99", "0x88b5", 1)).isZero();
        assertThat(frames.sendAndCount(fromA, toB, "fa:16:3e:77:77:00", "0x88b5", 1)).isEqualTo(1);

        for (String name : new String[]{"vm-a", "vm-b"}) {
            String id = cloud.compute.get("/servers?name=" + name, cloud.alpha).json().at("/servers/0/id").asText();
            cloud.compute.send("DELETE", "/servers/" + id, cloud.alpha, null);
            cloud.gone(cloud.alpha, id);
        }
        for (JsonNode port : cloud.network.get("/v2.0/ports?network_id=" + mgmt, cloud.alpha).json().get("ports")) {
            cloud.network.send("DELETE", "/v2.0/ports/" + port.get("id").asText(), cloud.alpha, null);
        }
        assertThat(HostShell.run("nft", "list", "tables")).doesNotContain("portside");
    }
}
