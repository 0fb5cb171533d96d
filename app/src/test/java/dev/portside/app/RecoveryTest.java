package dev.portside.app;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
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

    private static String host(String... command) throws Exception {
        Process process = new ProcessBuilder(command).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();
        return out;
    }

    private static JsonNode json(OpenstackCli cli, String... args) throws Exception {
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "-f";
        all[args.length + 1] = "json";
        OpenstackCli.Result result = cli.run(all);
        assertThat(result.exit()).as(String.join(" ", args) + ": " + result).isZero();
        return result.json();
    }

    @Test
    void afterSigkillTheHostConvergesBackToTheDatabase() throws Exception {
        Path config = dataDir.resolve("portside.yaml");
        Files.writeString(config, "compute_driver: namespace\n");
        ServeProcess portside = new ServeProcess(dataDir.resolve("portside"), "--config", config.toString()).awaitReady();
        OpenstackCli cli = new OpenstackCli(portside.openrcVariables());
        json(cli, "network", "create", "mgmt");
        json(cli, "subnet", "create", "--network", "mgmt", "--subnet-range", "10.111.0.0/24", "mgmt-sub");
        json(cli, "network", "create", "net1");
        String port = json(cli, "port", "create", "--network", "net1", "--no-fixed-ip", "p1").get("id").asText();
        json(cli, "security", "group", "rule", "create", "--protocol", "tcp", "--dst-port", "22", "default");
        Ssh ssh = new Ssh(dataDir, cli.run("keypair", "create", "k").out());
        JsonNode server = json(cli, "server", "create", "--flavor", "m1.tiny", "--image", DefaultImage.NAME,
                "--nic", "net-id=mgmt", "--nic", "port-id=" + port, "--key-name", "k", "vm1", "--wait");
        String id = server.get("id").asText();
        String address = json(cli, "server", "show", "vm1").at("/addresses/mgmt/0").asText();
        assertThat(ssh.await(address, "hostname").strip()).isEqualTo("vm1");
        String tap = "tap" + port.substring(0, 11);
        String orphan = "portside-" + UUID.randomUUID();
        try {
            portside.kill();
            // While Portside is down: an interface is lost, the instance's processes die, a stranger appears.
            host("ip", "link", "del", tap);
            for (String pid : host("ip", "netns", "pids", "portside-" + id).split("\\s+")) {
                if (!pid.isBlank()) {
                    host("kill", "-9", pid);
                }
            }
            host("ip", "netns", "add", orphan);
            host("nft", "delete", "table", "inet", "portside");
            assertThat(host("ip", "-o", "link", "show")).doesNotContain(tap);

            portside = portside.restart("--config", config.toString()).awaitReady();

            assertThat(json(cli, "server", "show", "vm1").get("status").asText()).isEqualTo("ACTIVE");
            assertThat(host("ip", "-o", "link", "show", tap)).contains("master brq");
            assertThat(ssh.await(address, "hostname").strip()).isEqualTo("vm1");
            String mac = json(cli, "port", "show", "p1").get("mac_address").asText();
            assertThat(ssh.await(address, "ip -o link")).contains(mac);
            assertThat(host("ip", "netns", "list")).doesNotContain(orphan);
            assertThat(host("nft", "list", "tables")).contains("inet portside");

            assertThat(cli.run("server", "delete", "--wait", "vm1").exit()).isZero();
            assertThat(host("ip", "netns", "list")).doesNotContain("portside-");
        } finally {
            host("ip", "netns", "del", orphan);
            portside.close();
        }
    }
}
