package dev.portside.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portside.common.testing.Http;
import dev.portside.common.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The one upstream tempest test of this feature, {@code test_boot_vm_with_unaddressed_port} (added
 * to tempest in Sep 2025, reverted in Feb 2026, absent from Debian's tempest 33), made with the same
 * HTTP calls its clients make: a port created with {@code fixed_ips: []} on a network that has a
 * subnet, a server booted with it, ACTIVE, and the port's {@code device_id} the server's.
 */
@ParameterizedClass(name = "on {0}")
@MethodSource("dev.portside.common.testing.TestDatabase#configured")
class UpstreamUnaddressedPortTest {
    @Parameter
    TestDatabase kind;
    @TempDir
    Path dataDir;
    Cloud cloud;

    @BeforeEach
    void start() throws Exception {
        cloud = new Cloud(kind, dataDir, "fake_hosts: [{name: host1}]\n");
    }

    @AfterEach
    void stop() {
        cloud.close();
    }

    @Test
    void bootVmWithUnaddressedPort() {
        String network = cloud.network(cloud.alpha, "tempest-unaddressed", "10.180.0.0/24");
        Http.Reply created = cloud.network.post("/v2.0/ports", cloud.alpha,
                "{\"port\": {\"network_id\": \"" + network + "\", \"fixed_ips\": []}}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        JsonNode port = created.json().get("port");
        assertThat(port.get("fixed_ips")).isEmpty();
        assertThat(port.get("ip_allocation").asText()).isEqualTo("none");

        String server = cloud.bootOk(cloud.alpha, "unaddressed-vm", "[{\"port\": \"" + port.get("id").asText() + "\"}]");
        assertThat(cloud.settled(cloud.alpha, server).get("status").asText()).isEqualTo("ACTIVE");

        JsonNode shown = cloud.network.get("/v2.0/ports/" + port.get("id").asText(), cloud.alpha).json().get("port");
        assertThat(shown.get("device_id").asText()).isEqualTo(server);
        assertThat(shown.get("fixed_ips")).as("still unaddressed").isEmpty();
    }
}
