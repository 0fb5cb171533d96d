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

import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static dev.portside.network.NetworkServer.assertNeutronError;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Portside's port-allowed-ethertypes extension: a port attribute listing the ethertypes, besides
 * ARP, IPv4 and IPv6, that a port with port security may carry; checked, normalised, kept with the
 * port's other port-security attributes, and set only by those who may widen the port's filtering.
 */
@ParameterizedClass(name = "on {0}")
@MethodSource("dev.portside.common.testing.TestDatabase#configured")
class AllowedEthertypesTest {
    @Parameter
    TestDatabase kind;
    NetworkServer neutron;
    Http http;
    String net;

    @BeforeEach
    void start() {
        neutron = new NetworkServer(kind);
        http = neutron.http;
        net = neutron.network(neutron.alpha, "net");
    }

    @AfterEach
    void stop() {
        neutron.close();
    }

    private JsonNode unaddressedPort(String attributes) {
        return neutron.create(neutron.alpha, "port", "\"network_id\": \"" + net + "\", \"fixed_ips\": []" + attributes);
    }

    private Http.Reply set(String token, String portId, String ethertypes) {
        return http.send("PUT", "/v2.0/ports/" + portId, token, "{\"port\": {\"allowed_ethertypes\": " + ethertypes + "}}");
    }

    @Test
    void theExtensionIsListedAndEveryPortShowsTheAttributeEmptyByDefault() {
        assertThat(http.get("/v2.0/extensions", neutron.alpha).json().get("extensions").findValuesAsText("alias"))
                .contains("port-allowed-ethertypes");
        Http.Reply extension = http.get("/v2.0/extensions/port-allowed-ethertypes", neutron.alpha);
        assertThat(extension.status()).isEqualTo(200);
        assertThat(extension.json().at("/extension/name").asText()).isEqualTo("Port allowed ethertypes");

        JsonNode port = unaddressedPort("");
        assertThat(port.get("allowed_ethertypes")).isEmpty();
        assertThat(http.get("/v2.0/ports/" + port.get("id").asText() + "?fields=allowed_ethertypes", neutron.alpha)
                .json().at("/port/allowed_ethertypes")).isEmpty();
    }

    @Test
    void ethertypesAreSetAtCreationOrLaterWrittenInLowerCaseHexAndInNumericOrder() {
        JsonNode port = unaddressedPort(", \"allowed_ethertypes\": [\"0x894F\", \"0x8847\"]");
        assertThat(port.get("allowed_ethertypes")).extracting(JsonNode::asText).containsExactly("0x8847", "0x894f");
        String id = port.get("id").asText();

        Http.Reply replaced = set(neutron.alpha, id, "[\"0x88cc\", \"0x8863\", \"0x8864\", \"0x88a8\"]");
        assertThat(replaced.status()).as(replaced.toString()).isEqualTo(200);
        assertThat(http.get("/v2.0/ports/" + id, neutron.alpha).json().at("/port/allowed_ethertypes"))
                .extracting(JsonNode::asText).containsExactly("0x8863", "0x8864", "0x88a8", "0x88cc");
        assertThat(replaced.json().at("/port/revision_number").asLong())
                .isEqualTo(port.get("revision_number").asLong() + 1);

        Http.Reply cleared = set(neutron.alpha, id, "[]");
        assertThat(cleared.json().at("/port/allowed_ethertypes")).isEmpty();
    }

    @Test
    void badEthertypesAreRefusedWithNeutronsErrorAndChangeNothing() {
        JsonNode port = unaddressedPort(", \"allowed_ethertypes\": [\"0x8847\"]");
        String id = port.get("id").asText();
        String tooMany = IntStream.range(0, 17).mapToObj(i -> "\"0x" + Integer.toHexString(0x9000 + i) + "\"")
                .collect(Collectors.joining(", ", "[", "]"));

        for (String bad : new String[]{"[\"8847\"]", "[\"0x05dc\"]", "[\"0x1ffff\"]", "[\"mpls\"]", "[\"0x8847\", \"0x8847\"]",
                tooMany, "[34887]", "\"0x8847\"", "null"}) {
            Http.Reply refused = set(neutron.alpha, id, bad);
            assertThat(refused.status()).as(bad + " → " + refused).isEqualTo(400);
            assertThat(refused.json().at("/NeutronError/message").asText()).as(bad).contains("allowed_ethertypes");
        }
        Http.Reply ipv4 = set(neutron.alpha, id, "[\"0x0800\"]");
        assertNeutronError(ipv4, 400, "HTTPBadRequest");
        assertThat(ipv4.json().at("/NeutronError/message").asText()).isEqualTo("Invalid input for allowed_ethertypes."
                + " Reason: 0x0800 (IPv4) always passes, filtered by the port's addresses and security group rules;"
                + " it cannot be listed.");
        assertNeutronError(http.post("/v2.0/ports", neutron.alpha, "{\"port\": {\"network_id\": \"" + net
                + "\", \"name\": \"half\", \"allowed_ethertypes\": [\"0x86dd\"]}}"), 400, "HTTPBadRequest");

        JsonNode after = http.get("/v2.0/ports/" + id, neutron.alpha).json().get("port");
        assertThat(after.get("allowed_ethertypes")).extracting(JsonNode::asText).containsExactly("0x8847");
        assertThat(after.get("revision_number").asLong()).isEqualTo(port.get("revision_number").asLong());
        assertThat(http.get("/v2.0/ports?name=half", neutron.alpha).json().get("ports")).isEmpty();
    }

    @Test
    void allowedEthertypesNeedPortSecurityAsAddressPairsDo() {
        JsonNode open = unaddressedPort(", \"port_security_enabled\": false");
        assertNeutronError(set(neutron.alpha, open.get("id").asText(), "[\"0x8847\"]"), 409,
                "AllowedEthertypesAndPortSecurityRequired");

        String id = unaddressedPort(", \"allowed_ethertypes\": [\"0x8847\"]").get("id").asText();
        assertNeutronError(http.send("PUT", "/v2.0/ports/" + id, neutron.alpha,
                "{\"port\": {\"port_security_enabled\": false, \"security_groups\": []}}"), 409,
                "AllowedEthertypesAndPortSecurityRequired");
        Http.Reply off = http.send("PUT", "/v2.0/ports/" + id, neutron.alpha, "{\"port\": {\"port_security_enabled\":"
                + " false, \"security_groups\": [], \"allowed_ethertypes\": []}}");
        assertThat(off.status()).as(off.toString()).isEqualTo(200);
        assertThat(off.json().at("/port/port_security_enabled").asBoolean()).isFalse();
    }

    @Test
    void onlyTheNetworksOwnerOrAnAdminWidensAPortsFiltering() {
        String shared = neutron.create(neutron.admin, "network", "\"name\": \"public\", \"shared\": true").get("id").asText();
        String betaPort = neutron.create(neutron.beta, "port", "\"network_id\": \"" + shared + "\", \"fixed_ips\": []")
                .get("id").asText();

        Http.Reply refused = set(neutron.beta, betaPort, "[\"0x8847\"]");
        assertNeutronError(refused, 403, "PolicyNotAuthorized");
        assertThat(refused.json().at("/NeutronError/message").asText()).contains("update_port:allowed_ethertypes");
        assertNeutronError(http.post("/v2.0/ports", neutron.beta, "{\"port\": {\"network_id\": \"" + shared
                + "\", \"allowed_ethertypes\": [\"0x8847\"]}}"), 403, "PolicyNotAuthorized");
        assertThat(set(neutron.admin, betaPort, "[\"0x8847\"]").status()).isEqualTo(200);
        // The owner of a port on its own network may.
        String alphaPort = unaddressedPort("").get("id").asText();
        assertThat(set(neutron.alpha, alphaPort, "[\"0x8847\"]").status()).isEqualTo(200);
        // Reading it is for whoever sees the port.
        assertThat(http.get("/v2.0/ports/" + betaPort, neutron.beta).json().at("/port/allowed_ethertypes/0").asText())
                .isEqualTo("0x8847");
    }
}
