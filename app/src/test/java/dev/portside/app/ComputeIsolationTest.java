package dev.portside.app;

import dev.portside.common.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;

import static dev.portside.app.Cloud.assertNovaError;
import static org.assertj.core.api.Assertions.assertThat;

/** Another project cannot see, act on, or boot with a project's servers, ports and networks. */
@ParameterizedClass(name = "on {0}")
@MethodSource("dev.portside.common.testing.TestDatabase#configured")
class ComputeIsolationTest {
    @Parameter
    TestDatabase kind;
    @TempDir
    Path dataDir;
    Cloud cloud;

    @AfterEach
    void stop() {
        cloud.close();
    }

    @Test
    void anotherProjectSeesNothingOfAServerAndCannotUseItsPortsOrNetworks() throws Exception {
        cloud = new Cloud(kind, dataDir, "fake_hosts: [{name: host1}]\n");
        String net = cloud.network(cloud.alpha, "alpha-net", "10.0.0.0/24");
        String port = cloud.port(cloud.alpha, net, "\"fixed_ips\": []");
        String server = cloud.bootOk(cloud.alpha, "alpha-vm", "[{\"uuid\": \"" + net + "\"}]");
        cloud.settled(cloud.alpha, server);
        String notFound = "Instance " + server + " could not be found.";

        assertNovaError(cloud.compute.get("/servers/" + server, cloud.beta), 404, "itemNotFound", notFound);
        assertThat(cloud.compute.get("/servers/detail", cloud.beta).json().get("servers")).isEmpty();
        assertNovaError(cloud.compute.send("DELETE", "/servers/" + server, cloud.beta, null), 404, "itemNotFound", notFound);
        assertNovaError(cloud.compute.post("/servers/" + server + "/action", cloud.beta, "{\"os-stop\": null}"), 404,
                "itemNotFound", notFound);
        assertNovaError(cloud.compute.get("/servers/" + server + "/os-interface", cloud.beta), 404, "itemNotFound", notFound);
        assertNovaError(cloud.compute.post("/servers/" + server + "/os-interface", cloud.beta,
                "{\"interfaceAttachment\": {\"net_id\": \"" + net + "\"}}"), 404, "itemNotFound", notFound);
        assertNovaError(cloud.boot(cloud.beta, "beta-vm", "[{\"port\": \"" + port + "\"}]"), 400, "badRequest",
                "Port id " + port + " could not be found.");
        assertNovaError(cloud.boot(cloud.beta, "beta-vm", "[{\"uuid\": \"" + net + "\"}]"), 400, "badRequest",
                "Network " + net + " could not be found.");
        // Listing all projects' servers is an admin's.
        assertThat(cloud.compute.get("/servers?all_tenants=1", cloud.beta).status()).isEqualTo(403);
        assertThat(cloud.compute.get("/servers?all_tenants=1", cloud.admin).json().findValuesAsText("id")).contains(server);
        assertThat(cloud.compute.get("/servers/" + server, cloud.alpha).json().at("/server/status").asText())
                .isEqualTo("ACTIVE");
        assertThat(cloud.portShow(port).get("device_id").asText()).isEmpty();
    }
}
