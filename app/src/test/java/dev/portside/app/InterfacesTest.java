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

import static dev.portside.app.Cloud.assertNovaError;
import static org.assertj.core.api.Assertions.assertThat;

/** os-interface: attaching and detaching ports under the same rule as boot. */
@ParameterizedClass(name = "on {0}")
@MethodSource("dev.portside.common.testing.TestDatabase#configured")
class InterfacesTest {
    @Parameter
    TestDatabase kind;
    @TempDir
    Path dataDir;
    Cloud cloud;
    String net1;
    String server;

    @BeforeEach
    void start() throws Exception {
        cloud = new Cloud(kind, dataDir, "fake_hosts: [{name: host1}]\n");
        String mgmt = cloud.network(cloud.alpha, "mgmt", "10.0.0.0/24");
        net1 = cloud.network(cloud.alpha, "net1", "10.1.0.0/24");
        server = cloud.bootOk(cloud.alpha, "vm1", "[{\"uuid\": \"" + mgmt + "\"}]");
        assertThat(cloud.settled(cloud.alpha, server).get("status").asText()).isEqualTo("ACTIVE");
    }

    @AfterEach
    void stop() {
        cloud.close();
    }

    private Http.Reply attach(String attachment) {
        return cloud.compute.post("/servers/" + server + "/os-interface", cloud.alpha,
                "{\"interfaceAttachment\": {" + attachment + "}}");
    }

    @Test
    void anUnaddressedPortAttachesBoundL2AndDetachesUnboundButKept() {
        String port = cloud.port(cloud.alpha, net1, "\"fixed_ips\": []");

        Http.Reply attached = attach("\"port_id\": \"" + port + "\"");

        assertThat(attached.status()).as(attached.toString()).isEqualTo(200);
        assertThat(attached.json().at("/interfaceAttachment/port_id").asText()).isEqualTo(port);
        assertThat(attached.json().at("/interfaceAttachment/port_state").asText()).isEqualTo("ACTIVE");
        assertThat(attached.json().at("/interfaceAttachment/fixed_ips")).isEmpty();
        JsonNode bound = cloud.portShow(port);
        assertThat(bound.get("device_id").asText()).isEqualTo(server);
        assertThat(bound.at("/binding:vif_details/connectivity").asText()).isEqualTo("l2");
        assertThat(cloud.driver().instances("host1").get(server).portIds()).contains(port);
        assertThat(cloud.compute.get("/servers/" + server + "/os-interface", cloud.alpha).json()
                .findValuesAsText("port_id")).hasSize(2).contains(port);

        assertThat(cloud.compute.send("DELETE", "/servers/" + server + "/os-interface/" + port, cloud.alpha, null)
                .status()).isEqualTo(202);
        while (cloud.compute.get("/servers/" + server + "/os-interface/" + port, cloud.alpha).status() != 404) {
            Cloud.pause();
        }
        JsonNode kept = cloud.portShow(port);
        assertThat(kept.get("device_id").asText()).isEmpty();
        assertThat(kept.get("binding:host_id").asText()).isEmpty();
        assertThat(cloud.driver().instances("host1").get(server).portIds()).doesNotContain(port);
        assertThat(cloud.compute.get("/servers/" + server + "/os-instance-actions", cloud.alpha).json()
                .findValuesAsText("action")).containsExactly("detach_interface", "attach_interface", "create");
    }

    @Test
    void attachingByNetworkMakesAPortThatDetachingDeletes() {
        Http.Reply attached = attach("\"net_id\": \"" + net1 + "\", \"fixed_ips\": [{\"ip_address\": \"10.1.0.50\"}]");
        assertThat(attached.status()).as(attached.toString()).isEqualTo(200);
        String port = attached.json().at("/interfaceAttachment/port_id").asText();
        assertThat(attached.json().at("/interfaceAttachment/fixed_ips/0/ip_address").asText()).isEqualTo("10.1.0.50");
        assertThat(cloud.settled(cloud.alpha, server).at("/addresses/net1/0/addr").asText()).isEqualTo("10.1.0.50");

        cloud.compute.send("DELETE", "/servers/" + server + "/os-interface/" + port, cloud.alpha, null);
        while (cloud.network.get("/v2.0/ports/" + port, cloud.admin).status() != 404) {
            Cloud.pause();
        }
    }

    @Test
    void theSpecsRuleHoldsForAttachToo() {
        String stripped = cloud.port(cloud.alpha, net1, "");
        cloud.network.send("PUT", "/v2.0/ports/" + stripped, cloud.alpha, "{\"port\": {\"fixed_ips\": []}}");
        assertNovaError(attach("\"port_id\": \"" + stripped + "\""), 400, "badRequest",
                "Port " + stripped + " requires a FixedIP in order to be used.");

        String used = cloud.port(cloud.alpha, net1, "\"fixed_ips\": [], \"device_id\": \"elsewhere\"");
        assertNovaError(attach("\"port_id\": \"" + used + "\""), 409, "conflictingRequest", "is still in use");

        String missing = "8a2d5b4e-0000-4000-8000-000000000000";
        assertNovaError(attach("\"port_id\": \"" + missing + "\""), 404, "itemNotFound", "could not be found");
        assertNovaError(attach("\"port_id\": \"" + used + "\", \"net_id\": \"" + net1 + "\""), 400, "badRequest",
                "either a port_id or a net_id");
        assertNovaError(cloud.compute.send("DELETE", "/servers/" + server + "/os-interface/" + missing, cloud.alpha, null),
                404, "itemNotFound", "is not attached");
        assertThat(cloud.compute.get("/servers/" + server + "/os-interface", cloud.alpha).json()
                .get("interfaceAttachments")).hasSize(1);
    }

    @Test
    void anUnaddressedPortCannotBeAttachedOnAnL3Host() throws Exception {
        cloud.close();
        cloud = new Cloud(kind, dataDir.resolve("routed"), """
                fake_hosts: [{name: routed-host}]
                host_mechanism_drivers: {routed-host: [routed]}
                """);
        String net = cloud.network(cloud.alpha, "net", "10.2.0.0/24");
        server = cloud.bootOk(cloud.alpha, "vm1", "[{\"uuid\": \"" + net + "\"}]");
        assertThat(cloud.settled(cloud.alpha, server).get("status").asText()).isEqualTo("ACTIVE");
        String port = cloud.port(cloud.alpha, net, "\"fixed_ips\": []");

        Http.Reply reply = attach("\"port_id\": \"" + port + "\"");

        assertNovaError(reply, 500, "computeFault", port);
        assertThat(reply.json().at("/computeFault/message").asText()).contains("routed-host").contains("l2");
        JsonNode free = cloud.portShow(port);
        assertThat(free.get("device_id").asText()).isEmpty();
        assertThat(free.get("binding:host_id").asText()).isEmpty();
        assertThat(cloud.compute.get("/servers/" + server + "/os-interface", cloud.alpha).json()
                .get("interfaceAttachments")).hasSize(1);
    }
}
