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

import java.util.Map;

import static dev.portside.network.NetworkServer.assertNeutronError;
import static org.assertj.core.api.Assertions.assertThat;

@ParameterizedClass(name = "on {0}")
@MethodSource("dev.portside.common.testing.TestDatabase#configured")
class PortsTest {
    @Parameter
    TestDatabase kind;
    NetworkServer neutron;
    String net;
    String subnet;

    @BeforeEach
    void start() {
        neutron = new NetworkServer(kind);
        net = neutron.network(neutron.alpha, "net1");
        subnet = neutron.subnet(neutron.alpha, net, "10.0.0.0/24");
    }

    @AfterEach
    void stop() {
        neutron.close();
    }

    JsonNode port(String attributes) {
        return neutron.create(neutron.alpha, "port", "\"network_id\": \"" + net + "\"" + attributes);
    }

    @Test
    void anEmptyFixedIpsListGivesAnUnaddressedPortMarkedIpAllocationNone() {
        JsonNode port = port(", \"fixed_ips\": []");

        assertThat(port.get("fixed_ips")).isEmpty();
        assertThat(port.get("ip_allocation").asText()).isEqualTo("none");
        assertThat(port.get("status").asText()).isEqualTo("DOWN");
        assertThat(port.get("port_security_enabled").asBoolean()).isTrue();
        assertThat(port.get("mac_address").asText()).matches("fa:16:3e(:[0-9a-f]{2}){3}");
    }

    @Test
    void withoutFixedIpsAPortGetsTheFirstFreePoolAddressAndImmediate() {
        JsonNode port = port("");

        assertThat(port.get("ip_allocation").asText()).isEqualTo("immediate");
        assertThat(port.at("/fixed_ips/0/ip_address").asText()).isEqualTo("10.0.0.2");
        assertThat(port.at("/fixed_ips/0/subnet_id").asText()).isEqualTo(subnet);
        assertThat(port("").at("/fixed_ips/0/ip_address").asText()).isEqualTo("10.0.0.3");
    }

    @Test
    void onANetworkWithoutSubnetsAPortHasNoAddressButIsImmediate() {
        String bare = neutron.network(neutron.alpha, "bare");

        JsonNode port = neutron.create(neutron.alpha, "port", "\"network_id\": \"" + bare + "\"");

        assertThat(port.get("fixed_ips")).isEmpty();
        assertThat(port.get("ip_allocation").asText()).isEqualTo("immediate");
    }

    @Test
    void fixedIpsNameASubnetAnAddressOrBoth() {
        assertThat(port(", \"fixed_ips\": [{\"subnet_id\": \"" + subnet + "\"}]").at("/fixed_ips/0/ip_address").asText())
                .isEqualTo("10.0.0.2");
        assertThat(port(", \"fixed_ips\": [{\"ip_address\": \"10.0.0.50\"}]").at("/fixed_ips/0/subnet_id").asText())
                .isEqualTo(subnet);
        assertThat(port(", \"fixed_ips\": [{\"subnet_id\": \"" + subnet + "\", \"ip_address\": \"10.0.0.51\"}]")
                .at("/fixed_ips/0/ip_address").asText()).isEqualTo("10.0.0.51");
    }

    @Test
    void anAddressCannotBeTakenTwiceNorBeTheGatewayNorLieOutsideTheSubnets() {
        port(", \"fixed_ips\": [{\"ip_address\": \"10.0.0.50\"}]");
        String body = "{\"port\": {\"network_id\": \"" + net + "\", \"fixed_ips\": [{\"ip_address\": \"%s\"}]}}";

        assertNeutronError(neutron.http.post("/v2.0/ports", neutron.alpha, body.formatted("10.0.0.50")), 409,
                "IpAddressAlreadyAllocated");
        assertNeutronError(neutron.http.post("/v2.0/ports", neutron.alpha, body.formatted("10.0.0.1")), 409,
                "IpAddressAlreadyAllocated");
        assertNeutronError(neutron.http.post("/v2.0/ports", neutron.alpha, body.formatted("10.9.0.5")), 400,
                "InvalidIpForNetwork");
        assertNeutronError(neutron.http.post("/v2.0/ports", neutron.alpha, body.formatted("10.0.0.255")), 400,
                "InvalidIpForSubnet");
        assertNeutronError(neutron.http.post("/v2.0/ports", neutron.alpha, body.formatted("not-an-ip")), 400,
                "HTTPBadRequest");
    }

    @Test
    void aSlaacSubnetGivesEveryPortItsEui64Address() {
        neutron.create(neutron.alpha, "subnet", "\"network_id\": \"" + net + "\", \"ip_version\": 6, \"cidr\":"
                + " \"2001:db8::/64\", \"ipv6_ra_mode\": \"slaac\", \"ipv6_address_mode\": \"slaac\"");

        JsonNode port = port(", \"mac_address\": \"fa:16:3e:12:34:56\"");

        assertThat(port.get("fixed_ips").findValuesAsText("ip_address"))
                .containsExactlyInAnyOrder("10.0.0.2", "2001:db8::f816:3eff:fe12:3456");
    }

    @Test
    void removingEveryAddressKeepsImmediateAndFreesTheAddressForOthers() {
        JsonNode port = port("");
        String id = port.get("id").asText();

        Http.Reply updated = neutron.http.send("PUT", "/v2.0/ports/" + id, neutron.alpha, "{\"port\": {\"fixed_ips\": []}}");

        assertThat(updated.status()).as(updated.toString()).isEqualTo(200);
        assertThat(updated.json().at("/port/fixed_ips")).isEmpty();
        assertThat(updated.json().at("/port/ip_allocation").asText()).isEqualTo("immediate");
        assertThat(port("").at("/fixed_ips/0/ip_address").asText()).isEqualTo("10.0.0.2");
    }

    @Test
    void updatingFixedIpsKeepsWhatIsStillAskedForAndTakesWhatIsNew() {
        String id = port(", \"fixed_ips\": [{\"ip_address\": \"10.0.0.10\"}]").get("id").asText();

        Http.Reply updated = neutron.http.send("PUT", "/v2.0/ports/" + id, neutron.alpha,
                "{\"port\": {\"fixed_ips\": [{\"ip_address\": \"10.0.0.10\"}, {\"ip_address\": \"10.0.0.11\"}]}}");

        assertThat(updated.status()).as(updated.toString()).isEqualTo(200);
        assertThat(updated.json().at("/port/fixed_ips").findValuesAsText("ip_address"))
                .containsExactlyInAnyOrder("10.0.0.10", "10.0.0.11");
        assertThat(updated.json().at("/port/revision_number").asLong()).isEqualTo(2);
    }

    @Test
    void deletingAPortReturnsItsAddressToThePool() {
        String id = port("").get("id").asText();

        assertThat(neutron.http.send("DELETE", "/v2.0/ports/" + id, neutron.alpha, null).status()).isEqualTo(204);

        assertThat(port("").at("/fixed_ips/0/ip_address").asText()).isEqualTo("10.0.0.2");
        assertNeutronError(neutron.http.get("/v2.0/ports/" + id, neutron.alpha), 404, "PortNotFound");
    }

    @Test
    void aGivenMacIsNormalisedAndUniqueOnItsNetwork() {
        assertThat(port(", \"mac_address\": \"FA-16-3E-AA-BB-CC\"").get("mac_address").asText()).isEqualTo("fa:16:3e:aa:bb:cc");

        assertNeutronError(neutron.http.post("/v2.0/ports", neutron.alpha, "{\"port\": {\"network_id\": \"" + net
                + "\", \"mac_address\": \"fa:16:3e:aa:bb:cc\"}}"), 409, "MacAddressInUse");
        assertNeutronError(neutron.http.post("/v2.0/ports", neutron.alpha, "{\"port\": {\"network_id\": \"" + net
                + "\", \"mac_address\": \"01:00:5e:00:00:01\"}}"), 400, "HTTPBadRequest");
    }

    @Test
    void aStaleIfMatchRevisionIsRefusedWith412() {
        String id = port("").get("id").asText();

        Http.Reply stale = neutron.http.send("PUT", "/v2.0/ports/" + id, neutron.alpha, "{\"port\": {\"name\": \"x\"}}",
                Map.of("If-Match", "revision_number=7"));
        Http.Reply current = neutron.http.send("PUT", "/v2.0/ports/" + id, neutron.alpha, "{\"port\": {\"name\": \"x\"}}",
                Map.of("If-Match", "revision_number=1"));

        assertNeutronError(stale, 412, "RevisionNumberConstraintFailed");
        assertThat(current.status()).isEqualTo(200);
    }

    @Test
    void unknownAttributesAndMalformedIdsAreRefusedAndNothingIsWritten() {
        assertNeutronError(neutron.http.post("/v2.0/ports", neutron.alpha, "{\"port\": {\"network_id\": \"" + net
                + "\", \"colour\": \"red\"}}"), 400, "HTTPBadRequest");
        Http.Reply badId = neutron.http.post("/v2.0/ports", neutron.alpha, "{\"port\": {\"network_id\": \"x\"}}");
        assertNeutronError(badId, 400, "HTTPBadRequest");
        assertThat(badId.json().at("/NeutronError/message").asText())
                .isEqualTo("Invalid input for network_id. Reason: 'x' is not a valid UUID.");
        assertNeutronError(neutron.http.post("/v2.0/ports", neutron.alpha, "{\"port\": {\"network_id\": \""
                + java.util.UUID.randomUUID() + "\"}}"), 404, "NetworkNotFound");
        assertThat(neutron.http.get("/v2.0/ports", neutron.alpha).json().get("ports")).isEmpty();
    }

    @Test
    void attributesOfUnloadedExtensionsAreAcceptedOnlyWithTheirDoNothingValue() {
        assertThat(neutron.http.post("/v2.0/networks", neutron.alpha, "{\"network\": {\"name\": \"n\", \"is_default\": false}}")
                .status()).isEqualTo(201);
        assertNeutronError(neutron.http.post("/v2.0/networks", neutron.alpha,
                "{\"network\": {\"name\": \"n\", \"is_default\": true}}"), 400, "HTTPBadRequest");
    }

    @Test
    void anUpdateMayEchoReadOnlyAttributesUnchangedButNotChangeThem() {
        JsonNode port = port("");
        String id = port.get("id").asText();
        String created = port.get("created_at").asText();
        long createdMillis = java.time.Instant.parse(created).toEpochMilli();

        assertThat(neutron.http.send("PUT", "/v2.0/ports/" + id, neutron.alpha, "{\"port\": {\"name\": \"x\","
                + " \"created_at\": \"" + created + "\", \"mac_address\": \"" + port.get("mac_address").asText() + "\"}}")
                .status()).isEqualTo(200);
        assertThat(neutron.http.send("PUT", "/v2.0/ports/" + id, neutron.alpha, "{\"port\": {\"created_at\": "
                + createdMillis + "}}").status()).isEqualTo(200);
        assertNeutronError(neutron.http.send("PUT", "/v2.0/ports/" + id, neutron.alpha,
                "{\"port\": {\"created_at\": \"2001-01-01T00:00:00Z\"}}"), 400, "HTTPBadRequest");
        assertNeutronError(neutron.http.send("PUT", "/v2.0/ports/" + id, neutron.alpha,
                "{\"port\": {\"mac_address\": \"fa:16:3e:00:00:99\"}}"), 400, "HTTPBadRequest");
    }

    @Test
    void aNetworkWithPortsCannotBeDeletedNorASubnetWithAddresses() {
        port("");

        assertNeutronError(neutron.http.send("DELETE", "/v2.0/networks/" + net, neutron.alpha, null), 409, "NetworkInUse");
        assertNeutronError(neutron.http.send("DELETE", "/v2.0/subnets/" + subnet, neutron.alpha, null), 409, "SubnetInUse");
    }
}
