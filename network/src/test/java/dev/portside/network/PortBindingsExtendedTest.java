package dev.portside.network;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portside.common.testing.Http;
import dev.portside.common.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

import static dev.portside.network.NetworkServer.assertNeutronError;
import static org.assertj.core.api.Assertions.assertThat;

/** binding-extended: preparing a port's binding on a second host and activating it, as Nova's live migration does. */
@ParameterizedClass(name = "on {0}")
@MethodSource("dev.portside.common.testing.TestDatabase#configured")
class PortBindingsExtendedTest {
    @Parameter
    TestDatabase kind;
    NetworkServer neutron;
    Http http;
    String port;

    @BeforeEach
    void start() {
        neutron = new NetworkServer(kind);
        http = neutron.http;
        String net = neutron.network(neutron.alpha, "net");
        port = neutron.create(neutron.alpha, "port", "\"network_id\": \"" + net + "\", \"fixed_ips\": []").get("id").asText();
    }

    @AfterEach
    void stop() {
        neutron.close();
    }

    Http.Reply bind(String host) {
        return http.post("/v2.0/ports/" + port + "/bindings", neutron.admin, "{\"binding\": {\"host\": \"" + host + "\"}}");
    }

    @Test
    void theFirstBindingIsActiveAndLaterOnesWaitInactiveUntilActivated() {
        Http.Reply first = bind("compute-1");
        assertThat(first.status()).as(first.toString()).isEqualTo(201);
        assertThat(first.json().at("/binding/status").asText()).isEqualTo("ACTIVE");
        assertThat(http.get("/v2.0/ports/" + port, neutron.admin).json().at("/port/binding:host_id").asText())
                .isEqualTo("compute-1");

        Http.Reply second = bind("compute-2");
        assertThat(second.json().at("/binding/status").asText()).isEqualTo("INACTIVE");
        assertThat(second.json().at("/binding/vif_details/connectivity").asText()).isEqualTo("l2");
        assertNeutronError(bind("compute-2"), 409, "PortBindingAlreadyExists");

        Http.Reply activated = http.send("PUT", "/v2.0/ports/" + port + "/bindings/compute-2/activate", neutron.admin, null);
        assertThat(activated.status()).as(activated.toString()).isEqualTo(200);
        assertThat(http.get("/v2.0/ports/" + port, neutron.admin).json().at("/port/binding:host_id").asText())
                .isEqualTo("compute-2");
        JsonNode bindings = http.get("/v2.0/ports/" + port + "/bindings", neutron.admin).json().get("bindings");
        assertThat(bindings).hasSize(2);
        assertThat(http.get("/v2.0/ports/" + port + "/bindings/compute-1", neutron.admin).json().at("/binding/status")
                .asText()).isEqualTo("INACTIVE");
        assertNeutronError(http.send("PUT", "/v2.0/ports/" + port + "/bindings/compute-2/activate", neutron.admin, null),
                409, "PortBindingAlreadyActive");
    }

    @Test
    void anUnaddressedPortsBindingOnARoutedHostFails() {
        bind("compute-1");

        Http.Reply routed = bind("routed-host");

        assertThat(routed.json().at("/binding/vif_type").asText()).isEqualTo("binding_failed");
        assertThat(routed.json().at("/binding/status").asText()).isEqualTo("INACTIVE");
    }

    @Test
    void inactiveBindingsAreDeletedButTheActiveOneIsNot() {
        bind("compute-1");
        bind("compute-2");

        assertThat(http.send("DELETE", "/v2.0/ports/" + port + "/bindings/compute-2", neutron.admin, null).status())
                .isEqualTo(204);
        assertNeutronError(http.get("/v2.0/ports/" + port + "/bindings/compute-2", neutron.admin), 404, "PortBindingNotFound");
        assertNeutronError(http.send("DELETE", "/v2.0/ports/" + port + "/bindings/compute-1", neutron.admin, null), 409,
                "PortBindingError");
    }

    @Test
    void bindingsAreForAdminsOnly() {
        assertNeutronError(http.post("/v2.0/ports/" + port + "/bindings", neutron.alpha,
                "{\"binding\": {\"host\": \"compute-1\"}}"), 403, "PolicyNotAuthorized");
        assertNeutronError(http.get("/v2.0/ports/" + port + "/bindings", neutron.alpha), 403, "PolicyNotAuthorized");
    }
}
