package dev.portside.network;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portside.common.testing.Http;
import dev.portside.common.testing.TestDatabase;
import dev.portside.network.net.PhysicalNetworks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static dev.portside.network.NetworkServer.assertNeutronError;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tenant networks on a Portside of several hosts (ML2's tenant_network_types vxlan, vni_ranges
 * 1001:1003): a network made without provider attributes is a VXLAN network with the lowest free
 * id of the range and an MTU that leaves room for the tunnel's headers; an admin may name an id,
 * inside the range or out of it, once; the ids and the type are the admins' to see.
 */
@ParameterizedClass(name = "on {0}")
@MethodSource("dev.portside.common.testing.TestDatabase#configured")
class VxlanNetworksTest {
    private static final PhysicalNetworks VXLAN_TENANTS = new PhysicalNetworks(Set.of("physnet1"), Map.of(),
            Optional.of(new PhysicalNetworks.VniRange(1001, 1003)));

    @Parameter
    TestDatabase kind;
    NetworkServer neutron;
    Http http;

    @BeforeEach
    void start() {
        neutron = new NetworkServer(kind, VXLAN_TENANTS);
        http = neutron.http;
    }

    @AfterEach
    void stop() {
        neutron.close();
    }

    private Http.Reply create(String token, String attributes) {
        return http.post("/v2.0/networks", token, "{\"network\": {\"name\": \"n\"" + attributes + "}}");
    }

    private JsonNode created(String token, String attributes) {
        Http.Reply reply = create(token, attributes);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        return reply.json().get("network");
    }

    private JsonNode asAdmin(JsonNode network) {
        return http.get("/v2.0/networks/" + network.get("id").asText(), neutron.admin).json().get("network");
    }

    @Test
    void aTenantNetworkIsAVxlanSegmentWithTheLowestFreeIdAndRoomForTheTunnel() {
        JsonNode first = created(neutron.alpha, "");
        assertThat(first.get("mtu").asInt()).as("1500 less VXLAN's 50 bytes of headers").isEqualTo(1450);
        assertThat(first.has("provider:network_type")).as("the wiring is the admins'").isFalse();
        assertThat(asAdmin(first).get("provider:network_type").asText()).isEqualTo("vxlan");
        assertThat(asAdmin(first).get("provider:segmentation_id").asInt()).isEqualTo(1001);
        assertThat(asAdmin(first).get("provider:physical_network").isNull()).isTrue();
        assertThat(asAdmin(created(neutron.beta, "")).get("provider:segmentation_id").asInt()).isEqualTo(1002);

        http.send("DELETE", "/v2.0/networks/" + first.get("id").asText(), neutron.alpha, null);
        assertThat(asAdmin(created(neutron.alpha, "")).get("provider:segmentation_id").asInt())
                .as("a deleted network's id is free again").isEqualTo(1001);
        created(neutron.alpha, "");
        assertNeutronError(create(neutron.alpha, ""), 503, "NoNetworkAvailable");
        assertThat(created(neutron.admin, ", \"provider:network_type\": \"local\"").get("provider:network_type")
                .asText()).as("a host-only network is still the admin's to ask for").isEqualTo("local");
    }

    @Test
    void anAdminNamesAVxlanIdOnceInsideTheRangeOrOutsideIt() {
        JsonNode named = created(neutron.admin, ", \"provider:network_type\": \"vxlan\", \"provider:segmentation_id\": \"5000\"");
        assertThat(named.get("provider:segmentation_id").asInt()).isEqualTo(5000);
        assertNeutronError(create(neutron.admin, ", \"provider:network_type\": \"vxlan\", \"provider:segmentation_id\": 5000"),
                409, "TunnelIdInUse");
        created(neutron.admin, ", \"provider:network_type\": \"vxlan\", \"provider:segmentation_id\": 1002");
        assertThat(asAdmin(created(neutron.alpha, "")).get("provider:segmentation_id").asInt()).isEqualTo(1001);
        assertThat(asAdmin(created(neutron.alpha, "")).get("provider:segmentation_id").asInt())
                .as("the named one is skipped").isEqualTo(1003);

        assertNeutronError(create(neutron.admin, ", \"provider:network_type\": \"vxlan\", \"provider:segmentation_id\": 16777216"),
                400, "InvalidInput");
        assertNeutronError(create(neutron.admin, ", \"provider:network_type\": \"vxlan\", \"provider:physical_network\": \"physnet1\""),
                400, "InvalidInput");
        assertNeutronError(create(neutron.alpha, ", \"provider:network_type\": \"vxlan\""), 403, "PolicyNotAuthorized");
    }

    @Test
    void aVxlanNetworksMtuCannotExceedWhatTheTunnelLeaves() {
        assertNeutronError(create(neutron.alpha, ", \"mtu\": 1500"), 400, "InvalidInput");
        JsonNode small = created(neutron.alpha, ", \"mtu\": 1400");
        assertThat(small.get("mtu").asInt()).isEqualTo(1400);
        String id = small.get("id").asText();
        assertNeutronError(http.send("PUT", "/v2.0/networks/" + id, neutron.alpha, "{\"network\": {\"mtu\": 1451}}"),
                400, "InvalidInput");
        assertThat(http.send("PUT", "/v2.0/networks/" + id, neutron.alpha, "{\"network\": {\"mtu\": 1450}}").status()).isEqualTo(200);
    }

    @Test
    void withoutVniRangesThereAreNoVxlanNetworks() {
        try (NetworkServer single = new NetworkServer(kind)) {
            assertNeutronError(single.http.post("/v2.0/networks", single.admin,
                    "{\"network\": {\"name\": \"n\", \"provider:network_type\": \"vxlan\"}}"), 400, "InvalidInput");
        }
    }
}
