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

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.portside.network.NetworkServer.assertNeutronError;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Neutron's provider networks, as an admin makes them (physnet1 with VLANs 100-102 to allocate from,
 * and physnet2): flat and VLAN networks on a known physical network, each segment given to one
 * network only, the attributes seen and set by admins alone, ML2's checks and error types.
 */
@ParameterizedClass(name = "on {0}")
@MethodSource("dev.portside.common.testing.TestDatabase#configured")
class ProviderNetworksTest {
    @Parameter
    TestDatabase kind;
    NetworkServer neutron;
    Http http;

    @BeforeEach
    void start() {
        neutron = new NetworkServer(kind);
        http = neutron.http;
    }

    @AfterEach
    void stop() {
        neutron.close();
    }

    private Http.Reply create(String token, String attributes) {
        return http.post("/v2.0/networks", token, "{\"network\": {\"name\": \"n\"" + attributes + "}}");
    }

    private JsonNode created(String attributes) {
        Http.Reply reply = create(neutron.admin, attributes);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        return reply.json().get("network");
    }

    @Test
    void anAdminPutsAFlatNetworkOnAPhysicalNetworkOnceAndOnlyAdminsSeeWhere() {
        JsonNode flat = created(", \"shared\": true, \"provider:network_type\": \"flat\","
                + " \"provider:physical_network\": \"physnet1\"");
        assertThat(flat.get("provider:network_type").asText()).isEqualTo("flat");
        assertThat(flat.get("provider:physical_network").asText()).isEqualTo("physnet1");
        assertThat(flat.get("provider:segmentation_id").isNull()).isTrue();

        JsonNode seenByMember = http.get("/v2.0/networks/" + flat.get("id").asText(), neutron.alpha).json().get("network");
        assertThat(seenByMember.has("provider:network_type")).as("the wiring is the admins'").isFalse();
        assertThat(seenByMember.has("provider:physical_network")).isFalse();

        assertNeutronError(create(neutron.admin, ", \"provider:network_type\": \"flat\","
                + " \"provider:physical_network\": \"physnet1\""), 409, "FlatNetworkInUse");
        assertThat(created(", \"provider:network_type\": \"flat\", \"provider:physical_network\": \"physnet2\"")
                .get("provider:physical_network").asText()).isEqualTo("physnet2");
        JsonNode local = created("");
        assertThat(local.get("provider:network_type").asText()).as("a bridge on this host").isEqualTo("local");
        assertThat(local.get("provider:physical_network").isNull()).isTrue();
    }

    @Test
    void aVlanNetworkTakesTheLowestFreeVlanOfItsRangeOrTheOneItNames() {
        assertThat(created(", \"provider:network_type\": \"vlan\", \"provider:physical_network\": \"physnet1\"")
                .get("provider:segmentation_id").asInt()).isEqualTo(100);
        assertThat(created(", \"provider:network_type\": \"vlan\", \"provider:physical_network\": \"physnet1\","
                + " \"provider:segmentation_id\": 101").get("provider:segmentation_id").asInt()).isEqualTo(101);
        assertThat(created(", \"provider:network_type\": \"vlan\"").get("provider:segmentation_id").asInt())
                .as("no physical network named: any range").isEqualTo(102);
        assertNeutronError(create(neutron.admin, ", \"provider:network_type\": \"vlan\""), 503, "NoNetworkAvailable");
        assertThat(created(", \"provider:network_type\": \"vlan\", \"provider:physical_network\": \"physnet1\","
                + " \"provider:segmentation_id\": 4094").get("provider:segmentation_id").asInt())
                .as("a VLAN named outside the range is the admin's to take").isEqualTo(4094);
        assertNeutronError(create(neutron.admin, ", \"provider:network_type\": \"vlan\","
                + " \"provider:physical_network\": \"physnet1\", \"provider:segmentation_id\": 101"), 409, "VlanIdInUse");
        assertThat(created(", \"provider:network_type\": \"vlan\", \"provider:physical_network\": \"physnet2\","
                + " \"provider:segmentation_id\": 101").get("provider:segmentation_id").asInt())
                .as("the same VLAN on another physical network").isEqualTo(101);

        JsonNode vlans = http.get("/v2.0/networks?provider:network_type=vlan&provider:physical_network=physnet1",
                neutron.admin).json().get("networks");
        assertThat(vlans.findValuesAsText("provider:segmentation_id")).containsExactlyInAnyOrder("100", "101", "102", "4094");
    }

    @Test
    void ml2sChecksRefuseWhatNoPhysicalNetworkCouldCarry() {
        assertNeutronError(create(neutron.admin, ", \"provider:network_type\": \"flat\""), 400, "InvalidInput");
        assertNeutronError(create(neutron.admin, ", \"provider:network_type\": \"flat\","
                + " \"provider:physical_network\": \"elsewhere\""), 400, "InvalidInput");
        assertNeutronError(create(neutron.admin, ", \"provider:network_type\": \"flat\","
                + " \"provider:physical_network\": \"physnet1\", \"provider:segmentation_id\": 5"), 400, "InvalidInput");
        assertNeutronError(create(neutron.admin, ", \"provider:network_type\": \"vlan\","
                + " \"provider:physical_network\": \"physnet1\", \"provider:segmentation_id\": 4095"), 400, "InvalidInput");
        assertNeutronError(create(neutron.admin, ", \"provider:network_type\": \"vlan\","
                + " \"provider:segmentation_id\": 7"), 400, "InvalidInput");
        assertNeutronError(create(neutron.admin, ", \"provider:network_type\": \"vxlan\""), 400, "InvalidInput");
        assertNeutronError(create(neutron.admin, ", \"provider:physical_network\": \"physnet1\""), 400, "InvalidInput");
        assertNeutronError(create(neutron.alpha, ", \"provider:network_type\": \"flat\","
                + " \"provider:physical_network\": \"physnet1\""), 403, "PolicyNotAuthorized");

        String id = created(", \"provider:network_type\": \"flat\", \"provider:physical_network\": \"physnet1\"")
                .get("id").asText();
        Http.Reply moved = http.send("PUT", "/v2.0/networks/" + id, neutron.admin,
                "{\"network\": {\"provider:physical_network\": \"physnet2\"}}");
        assertThat(moved.status()).as(moved.toString()).isEqualTo(400);
        assertThat(http.get("/v2.0/networks?provider:network_type=flat", neutron.admin).json().get("networks"))
                .as("nothing half-made by the refusals").hasSize(1);
        assertThat(http.get("/v2.0/extensions/provider", neutron.admin).status()).isEqualTo(200);
    }

    @Test
    void racingCreatesShareOutTheRangeWithoutGivingAVlanTwice() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(6);
        List<Future<Http.Reply>> replies = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            replies.add(pool.submit(() -> create(neutron.admin, ", \"provider:network_type\": \"vlan\","
                    + " \"provider:physical_network\": \"physnet1\"")));
        }
        Set<Integer> taken = new HashSet<>();
        int made = 0;
        for (Future<Http.Reply> reply : replies) {
            Http.Reply r = reply.get();
            assertThat(r.status()).as(r.toString()).isIn(201, 503);
            if (r.status() == 201) {
                made++;
                taken.add(r.json().at("/network/provider:segmentation_id").asInt());
            }
        }
        pool.shutdown();
        assertThat(made).as("every VLAN of the range given, each once").isEqualTo(3);
        assertThat(taken).containsExactlyInAnyOrder(100, 101, 102);
        assertThat(http.get("/v2.0/networks?provider:network_type=vlan", neutron.admin).json().get("networks"))
                .hasSize(made);
    }
}
