package dev.portside.network;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portside.common.testing.Http;
import dev.portside.common.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static dev.portside.network.NetworkServer.assertNeutronError;
import static org.assertj.core.api.Assertions.assertThat;

/** Neutron's bulk create: {@code {"ports": [...]}} makes all of them in one transaction, or none. */
class BulkCreateTest {
    NetworkServer neutron;

    @AfterEach
    void stop() {
        neutron.close();
    }

    private int count(String collection) {
        return neutron.http.get("/v2.0/" + collection, neutron.alpha).json().get(collection).size();
    }

    @ParameterizedTest
    @MethodSource("dev.portside.common.testing.TestDatabase#configured")
    void networksSubnetsAndPortsAreMadeTogetherInTheOrderGiven(TestDatabase kind) {
        neutron = new NetworkServer(kind);
        Http.Reply networks = neutron.http.post("/v2.0/networks", neutron.alpha,
                "{\"networks\": [{\"name\": \"bulk-a\"}, {\"name\": \"bulk-b\", \"admin_state_up\": false}]}");
        assertThat(networks.status()).as(networks.toString()).isEqualTo(201);
        assertThat(networks.json().get("networks").findValuesAsText("name")).containsExactly("bulk-a", "bulk-b");
        String a = networks.json().at("/networks/0/id").asText();
        String b = networks.json().at("/networks/1/id").asText();
        assertThat(networks.json().at("/networks/1/admin_state_up").asBoolean()).isFalse();

        Http.Reply subnets = neutron.http.post("/v2.0/subnets", neutron.alpha, "{\"subnets\": ["
                + "{\"network_id\": \"" + a + "\", \"ip_version\": 4, \"cidr\": \"10.31.0.0/24\"},"
                + "{\"network_id\": \"" + b + "\", \"ip_version\": 4, \"cidr\": \"10.32.0.0/24\"}]}");
        assertThat(subnets.status()).as(subnets.toString()).isEqualTo(201);
        assertThat(subnets.json().get("subnets").findValuesAsText("cidr")).containsExactly("10.31.0.0/24", "10.32.0.0/24");

        Http.Reply ports = neutron.http.post("/v2.0/ports", neutron.alpha, "{\"ports\": ["
                + "{\"network_id\": \"" + a + "\", \"name\": \"p1\"},"
                + "{\"network_id\": \"" + a + "\", \"name\": \"p2\"},"
                + "{\"network_id\": \"" + b + "\", \"name\": \"unaddressed\", \"fixed_ips\": []}]}");
        assertThat(ports.status()).as(ports.toString()).isEqualTo(201);
        JsonNode made = ports.json().get("ports");
        assertThat(made.findValuesAsText("name")).containsExactly("p1", "p2", "unaddressed");
        assertThat(made.get(0).at("/fixed_ips/0/ip_address").asText())
                .as("each port sees the addresses the ones before it took").isNotEqualTo(made.get(1).at("/fixed_ips/0/ip_address").asText());
        assertThat(made.get(2).get("ip_allocation").asText()).isEqualTo("none");
        assertThat(count("ports")).isEqualTo(3);
    }

    @ParameterizedTest
    @MethodSource("dev.portside.common.testing.TestDatabase#configured")
    void oneRefusedItemLeavesNoneOfTheOthers(TestDatabase kind) {
        neutron = new NetworkServer(kind);
        String net = neutron.network(neutron.alpha, "net");
        neutron.subnet(neutron.alpha, net, "10.33.0.0/24");
        int networks = count("networks");

        assertNeutronError(neutron.http.post("/v2.0/networks", neutron.alpha,
                "{\"networks\": [{\"name\": \"fine\"}, {\"name\": \"bad\", \"mtu\": \"big\"}]}"), 400, "HTTPBadRequest");
        assertThat(count("networks")).isEqualTo(networks);

        // The second overlaps the first, made in the same transaction: it sees it, and both go.
        assertNeutronError(neutron.http.post("/v2.0/subnets", neutron.alpha, "{\"subnets\": ["
                + "{\"network_id\": \"" + net + "\", \"ip_version\": 4, \"cidr\": \"10.34.0.0/24\"},"
                + "{\"network_id\": \"" + net + "\", \"ip_version\": 4, \"cidr\": \"10.34.0.0/25\"}]}"), 400, "InvalidInput");
        assertThat(count("subnets")).isEqualTo(1);

        assertNeutronError(neutron.http.post("/v2.0/ports", neutron.alpha, "{\"ports\": ["
                + "{\"network_id\": \"" + net + "\", \"fixed_ips\": [{\"ip_address\": \"10.33.0.50\"}]},"
                + "{\"network_id\": \"" + net + "\", \"fixed_ips\": [{\"ip_address\": \"10.33.0.50\"}]}]}"), 409,
                "IpAddressAlreadyAllocated");
        assertNeutronError(neutron.http.post("/v2.0/ports", neutron.alpha, "{\"ports\": ["
                + "{\"network_id\": \"" + net + "\"}, {\"network_id\": \"00000000-0000-0000-0000-000000000000\"}]}"), 404,
                "NetworkNotFound");
        assertThat(count("ports")).isZero();
        JsonNode again = neutron.create(neutron.alpha, "port", "\"network_id\": \"" + net
                + "\", \"fixed_ips\": [{\"ip_address\": \"10.33.0.50\"}]");
        assertThat(again.at("/fixed_ips/0/ip_address").asText()).as("the rolled-back address is free").isEqualTo("10.33.0.50");

        assertNeutronError(neutron.http.post("/v2.0/ports", neutron.alpha, "{\"ports\": []}"), 400, "HTTPBadRequest");
        assertNeutronError(neutron.http.post("/v2.0/ports", neutron.alpha, "{\"ports\": [\"x\"]}"), 400, "HTTPBadRequest");
        assertNeutronError(neutron.http.post("/v2.0/ports", neutron.alpha, "{\"ports\": {}}"), 400, "HTTPBadRequest");
    }

    @ParameterizedTest
    @MethodSource("dev.portside.common.testing.TestDatabase#configured")
    void aBulkBeyondTheQuotaMakesNothing(TestDatabase kind) {
        neutron = new NetworkServer(kind);
        String net = neutron.network(neutron.alpha, "net");
        String project = neutron.http.get("/v2.0/networks/" + net, neutron.alpha).json().at("/network/project_id").asText();
        assertThat(neutron.http.send("PUT", "/v2.0/quotas/" + project, neutron.admin, "{\"quota\": {\"port\": 2}}")
                .status()).isEqualTo(200);
        String item = "{\"network_id\": \"" + net + "\", \"fixed_ips\": []}";

        assertNeutronError(neutron.http.post("/v2.0/ports", neutron.alpha, "{\"ports\": [" + item + ", " + item + ", "
                + item + "]}"), 409, "OverQuota");
        assertThat(count("ports")).isZero();
        assertThat(neutron.http.post("/v2.0/ports", neutron.alpha, "{\"ports\": [" + item + ", " + item + "]}").status())
                .isEqualTo(201);
    }
}
