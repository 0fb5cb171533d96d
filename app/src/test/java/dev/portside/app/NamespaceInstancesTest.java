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
 * Real instances with the namespace driver (as root): a server is a namespace whose interfaces
 * carry its ports' MACs, configured from its config drive, reachable by SSH with its key pair on
 * the management network; its unaddressed port is a link with no address. Stop, start, hot-plug
 * and delete do what they say, and delete leaves nothing on the host.
 */
class NamespaceInstancesTest {
    @TempDir
    Path dataDir;
    Cloud cloud;
    Ssh ssh;

    @BeforeEach
    void start() throws Exception {
        cloud = new Cloud(TestDatabase.configured().getFirst(), dataDir, "compute_driver: namespace\n");
        Http.Reply key = cloud.compute.post("/os-keypairs", cloud.alpha, "{\"keypair\": {\"name\": \"k\"}}");
        ssh = new Ssh(dataDir, key.json().at("/keypair/private_key").asText());
        // The host logs in over the management network.
        cloud.allowIngress(cloud.alpha, "\"protocol\": \"tcp\", \"port_range_min\": 22, \"port_range_max\": 22");
    }

    @AfterEach
    void stop() {
        cloud.close();
    }

    @Test
    void aServerIsANamespaceReachableBySshWithItsUnaddressedPortUpAndNoAddress() throws Exception {
        String mgmt = cloud.network(cloud.alpha, "mgmt", "10.231.0.0/24");
        String net1 = cloud.network(cloud.alpha, "net1", "10.232.0.0/24");
        String unaddressed = cloud.port(cloud.alpha, net1, "\"fixed_ips\": []");
        String mac = cloud.portShow(unaddressed).get("mac_address").asText();

        String id = cloud.compute.post("/servers", cloud.alpha, """
                {"server": {"name": "vm1", "imageRef": "%s", "flavorRef": "1", "key_name": "k",
                 "networks": [{"uuid": "%s"}, {"port": "%s"}]}}""".formatted(cloud.defaultImage, mgmt, unaddressed))
                .json().at("/server/id").asText();
        JsonNode server = cloud.settled(cloud.alpha, id);
        assertThat(server.get("status").asText()).isEqualTo("ACTIVE");
        String address = server.at("/addresses/mgmt/0/addr").asText();

        assertThat(ssh.await(address, "hostname").strip()).isEqualTo("vm1");
        String eth1 = ssh.await(address, "ip -o link show eth1; ip -o -4 addr show eth1");
        assertThat(eth1).contains(mac).contains("state UP").doesNotContain("inet ");
        assertThat(ssh.await(address, "ip -o -4 addr show eth0")).contains(address + "/24");
        assertThat(ssh.await(address, "ip route show default")).contains("via 10.231.0.1");
        assertThat(cloud.portShow(unaddressed).get("status").asText()).isEqualTo("ACTIVE");
        String console = cloud.compute.post("/servers/" + id + "/action", cloud.alpha,
                "{\"os-getConsoleOutput\": {\"length\": 50}}").json().get("output").asText();
        assertThat(console).contains("eth1 has no address (unaddressed port)").contains("ssh server on " + address);

        // Hot-plug another unaddressed port, then take it out again.
        String second = cloud.port(cloud.alpha, net1, "\"fixed_ips\": []");
        String secondMac = cloud.portShow(second).get("mac_address").asText();
        assertThat(cloud.compute.post("/servers/" + id + "/os-interface", cloud.alpha,
                "{\"interfaceAttachment\": {\"port_id\": \"" + second + "\"}}").status()).isEqualTo(200);
        assertThat(ssh.await(address, "ip -o link show eth2")).contains(secondMac);
        cloud.compute.send("DELETE", "/servers/" + id + "/os-interface/" + second, cloud.alpha, null);
        while (!cloud.portShow(second).get("device_id").asText().isEmpty()) {
            Cloud.pause();
        }
        assertThat(ssh.await(address, "ip -o link show").lines().filter(l -> l.contains(": eth"))).hasSize(2);

        // Stopped, the instance runs nothing; started, it answers again.
        cloud.compute.post("/servers/" + id + "/action", cloud.alpha, "{\"os-stop\": null}");
        assertThat(cloud.settled(cloud.alpha, id).get("status").asText()).isEqualTo("SHUTOFF");
        assertThat(ssh.run(address, "true").exit()).isNotZero();
        cloud.compute.post("/servers/" + id + "/action", cloud.alpha, "{\"os-start\": null}");
        assertThat(cloud.settled(cloud.alpha, id).get("status").asText()).isEqualTo("ACTIVE");
        assertThat(ssh.await(address, "hostname").strip()).isEqualTo("vm1");

        // Rebuilt, it is made again with the same ports and answers over SSH again.
        assertThat(cloud.compute.post("/servers/" + id + "/action", cloud.alpha, "{\"rebuild\": {\"imageRef\": \""
                + cloud.defaultImage + "\"}}").status()).isEqualTo(202);
        assertThat(cloud.settled(cloud.alpha, id).get("status").asText()).isEqualTo("ACTIVE");
        assertThat(ssh.await(address, "ip -o link show eth1")).contains(mac);
        assertThat(ssh.await(address, "hostname").strip()).isEqualTo("vm1");

        // Paused or suspended, its processes stand still and SSH gets no answer; let go, it answers again.
        for (String[] action : new String[][]{{"pause", "unpause", "PAUSED"}, {"suspend", "resume", "SUSPENDED"}}) {
            cloud.compute.post("/servers/" + id + "/action", cloud.alpha, "{\"" + action[0] + "\": null}");
            assertThat(cloud.settled(cloud.alpha, id).get("status").asText()).isEqualTo(action[2]);
            for (String pid : HostShell.run("ip", "netns", "pids", "portside-" + id).split("\\s+")) {
                assertThat(HostShell.run("ps", "-o", "stat=", "-p", pid).strip()).as("process " + pid).startsWith("T");
            }
            assertThat(ssh.run(address, "true").exit()).isNotZero();
            cloud.compute.post("/servers/" + id + "/action", cloud.alpha, "{\"" + action[1] + "\": null}");
            assertThat(cloud.settled(cloud.alpha, id).get("status").asText()).isEqualTo("ACTIVE");
            assertThat(ssh.await(address, "hostname").strip()).isEqualTo("vm1");
        }

        cloud.compute.send("DELETE", "/servers/" + id, cloud.alpha, null);
        cloud.gone(cloud.alpha, id);
        assertThat(HostShell.run("ip", "netns", "list")).doesNotContain(id);
        String links = HostShell.run("ip", "-o", "link", "show");
        assertThat(links).doesNotContain("tap" + unaddressed.substring(0, 11))
                .doesNotContain("brq" + mgmt.substring(0, 11)).doesNotContain("brq" + net1.substring(0, 11));
        assertThat(Files.exists(dataDir.resolve("instances").resolve(id))).isFalse();
        assertThat(cloud.portShow(unaddressed).get("device_id").asText()).isEmpty();
    }
}
