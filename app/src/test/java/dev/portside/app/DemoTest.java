package dev.portside.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code portside demo} runs the spec's scenario against a running Portside, proves the traffic, and cleans up. */
class DemoTest {
    @TempDir
    Path dataDir;

    @Test
    void theDemoNarratesTheScenarioProvesTheTrafficAndLeavesNothing() throws Exception {
        Path config = dataDir.resolve("portside.yaml");
        Files.writeString(config, "compute_driver: namespace,qemu\nshutdown_timeout: 10\n");
        try (ServeProcess portside = new ServeProcess(dataDir.resolve("portside"), "--config", config.toString())
                .awaitReady()) {
            // The repository root: the tests run in app/.
            Path demo = Path.of("..", "bin", "demo").toAbsolutePath().normalize();
            Process process = new ProcessBuilder("bash", demo.toString(), "--openrc", portside.openrc().toString())
                    .redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(600, TimeUnit.SECONDS)).isTrue();

            assertThat(process.exitValue()).as(output).isZero();
            assertThat(output).contains("$ openstack port create --network demo-net1 --no-fixed-ip --disable-port-security")
                    .contains("3 received").contains("DNAT").contains("100% packet loss")
                    .contains("$ openstack port set --enable-port-security --security-group demo-access demo-vm2-net1")
                    .contains("portside demo: the scenario passed");
            // VM2, the middle box, was a virtual machine booted from the uploaded test image.
            assertThat(output).contains("$ openstack image create --disk-format qcow2 --container-format bare --file")
                    .contains("--image demo-middlebox").contains("-qemu");
            // Through the middle box twice: without port security, then with it and a group that allows ICMP.
            assertThat(output.split("3 received", -1)).hasSize(3);
            OpenstackCli cli = new OpenstackCli(portside.openrcVariables());
            assertThat(cli.run("server", "list", "-f", "value").out()).isBlank();
            assertThat(cli.run("network", "list", "-f", "value").out()).doesNotContain("demo-");
        }
        assertThat(HostShell.run("ip", "netns", "list")).doesNotContain("portside-");
        assertThat(HostShell.run("nft", "list", "tables")).doesNotContain("portside");
    }
}
