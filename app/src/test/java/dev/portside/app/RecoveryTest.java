package dev.portside.app;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Killed with SIGKILL and started again, Portside makes the host match its database without anyone's
 * help: a missing interface is wired again, a dead instance is started again, an instance nobody
 * knows is removed, and the port filtering is applied again.
 */
class RecoveryTest {
    @TempDir
    Path dataDir;

    @Test
    void afterSigkillTheHostConvergesBackToTheDatabase() throws Exception {
        Path config = dataDir.resolve("portside.yaml");
        Files.writeString(config, "compute_driver: namespace\n");
        ServeProcess portside = new ServeProcess(dataDir.resolve("portside"), "--config", config.toString()).awaitReady();
        OpenstackCli cli = new OpenstackCli(portside.openrcVariables());
        cli.json("network", "create", "mgmt");
        cli.json("subnet", "create", "--network", "mgmt", "--subnet-range", "10.111.0.0/24", "mgmt-sub");
        cli.json("network", "create", "net1");
        String port = cli.json("port", "create", "--network", "net1", "--no-fixed-ip", "p1").get("id").asText();
        cli.json("security", "group", "rule", "create", "--protocol", "tcp", "--dst-port", "22", "default");
        Ssh ssh = new Ssh(dataDir, cli.run("keypair", "create", "k").out());
        JsonNode server = cli.json("server", "create", "--flavor", "m1.tiny", "--image", DefaultImage.NAME,
                "--nic", "net-id=mgmt", "--nic", "port-id=" + port, "--key-name", "k", "vm1", "--wait");
        String id = server.get("id").asText();
        String address = cli.json("server", "show", "vm1").at("/addresses/mgmt/0").asText();
        assertThat(ssh.await(address, "hostname").strip()).isEqualTo("vm1");
        String tap = "tap" + port.substring(0, 11);
        String orphan = "portside-" + UUID.randomUUID();
        try {
            portside.kill();
            // While Portside is down: an interface is lost, the instance's processes die, a stranger appears.
            HostShell.run("ip", "link", "del", tap);
            for (String pid : HostShell.run("ip", "netns", "pids", "portside-" + id).split("\\s+")) {
                if (!pid.isBlank()) {
                    HostShell.run("kill", "-9", pid);
                }
            }
            HostShell.run("ip", "netns", "add", orphan);
            HostShell.run("nft", "delete", "table", "inet", "portside");
            assertThat(HostShell.run("ip", "-o", "link", "show")).doesNotContain(tap);

            portside = portside.restart("--config", config.toString()).awaitReady();

            assertThat(cli.json("server", "show", "vm1").get("status").asText()).isEqualTo("ACTIVE");
            assertThat(HostShell.run("ip", "-o", "link", "show", tap)).contains("master brq");
            assertThat(ssh.await(address, "hostname").strip()).isEqualTo("vm1");
            String mac = cli.json("port", "show", "p1").get("mac_address").asText();
            assertThat(ssh.await(address, "ip -o link")).contains(mac);
            assertThat(HostShell.run("ip", "netns", "list")).doesNotContain(orphan);
            assertThat(HostShell.run("nft", "list", "tables")).contains("inet portside");

            assertThat(cli.run("server", "delete", "--wait", "vm1").exit()).isZero();
            assertThat(HostShell.run("ip", "netns", "list")).doesNotContain("portside-");
        } finally {
            HostShell.run("ip", "netns", "del", orphan);
            portside.close();
        }
    }
}
