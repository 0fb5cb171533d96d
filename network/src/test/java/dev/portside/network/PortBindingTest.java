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

/**
 * Binding ports to hosts: "compute-1" uses the default linuxbridge driver (l2), "routed-host" only
 * the routed driver (l3), "mixed-host" tries routed, then linuxbridge (see {@link NetworkServer}).
 */
@ParameterizedClass(name = "on {0}")
@MethodSource("dev.portside.common.testing.TestDatabase#configured")
class PortBindingTest {
    @Parameter
    TestDatabase kind;
    NetworkServer neutron;
    String net;

    @BeforeEach
    void start() {
        neutron = new NetworkServer(kind);
        net = neutron.network(neutron.alpha, "net");
        neutron.subnet(neutron.alpha, net, "10.0.0.0/24");
    }

    @AfterEach
    void stop() {
        neutron.close();
    }

    String port(String fixedIps) {
        return neutron.create(neutron.alpha, "port", "\"network_id\": \"" + net + "\"" + fixedIps).get("id").asText();
    }

    JsonNode bind(String portId, String host) {
        Http.Reply reply = neutron.http.send("PUT", "/v2.0/ports/" + portId, neutron.admin,
                "{\"port\": {\"binding:host_id\": \"" + host + "\"}}");
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return reply.json().get("port");
    }

    @Test
    void anUnaddressedPortBindsWithLinuxbridgeAndReportsL2Connectivity() {
        JsonNode port = bind(port(", \"fixed_ips\": []"), "compute-1");

        assertThat(port.get("binding:host_id").asText()).isEqualTo("compute-1");
        assertThat(port.get("binding:vif_type").asText()).isEqualTo("bridge");
        assertThat(port.at("/binding:vif_details/connectivity").asText()).isEqualTo("l2");
        assertThat(port.get("ip_allocation").asText()).isEqualTo("none");
    }

    @Test
    void onARoutedHostAnUnaddressedPortFailsToBindWhileAnAddressedOneBindsL3() {
        JsonNode unaddressed = bind(port(", \"fixed_ips\": []"), "routed-host");
        JsonNode addressed = bind(port(""), "routed-host");

        assertThat(unaddressed.get("binding:vif_type").asText()).isEqualTo("binding_failed");
        assertThat(unaddressed.get("binding:vif_details")).isEmpty();
        assertThat(addressed.get("binding:vif_type").asText()).isEqualTo("tap");
        assertThat(addressed.at("/binding:vif_details/connectivity").asText()).isEqualTo("l3");
    }

    @Test
    void anUnaddressedPortSkipsL3DriversAndTakesTheNextL2One() {
        JsonNode unaddressed = bind(port(", \"fixed_ips\": []"), "mixed-host");
        JsonNode addressed = bind(port(""), "mixed-host");

        assertThat(unaddressed.at("/binding:vif_details/connectivity").asText()).isEqualTo("l2");
        assertThat(addressed.at("/binding:vif_details/connectivity").asText()).isEqualTo("l3");
    }

    @Test
    void clearingTheHostUnbindsAndThePortCanBeBoundAgain() {
        String id = port(", \"fixed_ips\": []");
        bind(id, "routed-host");

        JsonNode unbound = bind(id, "");
        JsonNode rebound = bind(id, "compute-1");

        assertThat(unbound.get("binding:vif_type").asText()).isEqualTo("unbound");
        assertThat(unbound.get("binding:vif_details")).isEmpty();
        assertThat(rebound.get("binding:vif_type").asText()).isEqualTo("bridge");
    }

    @Test
    void aBoundPortThatLosesItsAddressesIsBoundAgainAndFailsOnAnL3Host() {
        String id = port("");
        assertThat(bind(id, "routed-host").get("binding:vif_type").asText()).isEqualTo("tap");

        Http.Reply reply = neutron.http.send("PUT", "/v2.0/ports/" + id, neutron.admin, "{\"port\": {\"fixed_ips\": []}}");

        assertThat(reply.json().at("/port/binding:vif_type").asText()).isEqualTo("binding_failed");
    }

    @Test
    void anAdminMayBindAtCreation() {
        Http.Reply reply = neutron.http.post("/v2.0/ports", neutron.admin, "{\"port\": {\"network_id\": \"" + net
                + "\", \"fixed_ips\": [], \"binding:host_id\": \"compute-1\"}}");

        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        assertThat(reply.json().at("/port/binding:vif_type").asText()).isEqualTo("bridge");
    }

    @Test
    void bindingIsForAdminsOnly() {
        String id = port(", \"fixed_ips\": []");

        assertNeutronError(neutron.http.send("PUT", "/v2.0/ports/" + id, neutron.alpha,
                "{\"port\": {\"binding:host_id\": \"compute-1\"}}"), 403, "PolicyNotAuthorized");
        JsonNode seenByOwner = neutron.http.get("/v2.0/ports/" + id, neutron.alpha).json().get("port");
        assertThat(seenByOwner.has("binding:host_id")).isFalse();
        assertThat(seenByOwner.has("binding:vif_type")).isFalse();
        assertThat(seenByOwner.get("binding:vnic_type").asText()).isEqualTo("normal");
        assertThat(neutron.http.get("/v2.0/ports/" + id, neutron.admin).json().at("/port/binding:vif_type").asText())
                .isEqualTo("unbound");
    }

    @Test
    void aVnicTypeNoShippedDriverServesFailsToBindAndAnUnknownOneIsRefused() {
        String id = port(", \"fixed_ips\": []");

        Http.Reply direct = neutron.http.send("PUT", "/v2.0/ports/" + id, neutron.admin,
                "{\"port\": {\"binding:vnic_type\": \"direct\", \"binding:host_id\": \"compute-1\"}}");

        assertThat(direct.json().at("/port/binding:vif_type").asText()).isEqualTo("binding_failed");
        assertNeutronError(neutron.http.send("PUT", "/v2.0/ports/" + id, neutron.admin,
                "{\"port\": {\"binding:vnic_type\": \"warp\"}}"), 400, "HTTPBadRequest");
    }
}
