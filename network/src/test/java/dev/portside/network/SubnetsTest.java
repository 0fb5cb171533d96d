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

@ParameterizedClass(name = "on {0}")
@MethodSource("dev.portside.common.testing.TestDatabase#configured")
class SubnetsTest {
    @Parameter
    TestDatabase kind;
    NetworkServer neutron;
    String net;

    @BeforeEach
    void start() {
        neutron = new NetworkServer(kind);
        net = neutron.network(neutron.alpha, "net1");
    }

    @AfterEach
    void stop() {
        neutron.close();
    }

    Http.Reply create(String attributes) {
        return neutron.http.post("/v2.0/subnets", neutron.alpha, "{\"subnet\": {\"network_id\": \"" + net + "\"" + attributes + "}}");
    }

    @Test
    void anIpv4SubnetGetsAGatewayAndPoolsOfEveryOtherHostAddress() {
        JsonNode subnet = neutron.create(neutron.alpha, "subnet", "\"network_id\": \"" + net + "\", \"ip_version\": 4,"
                + " \"cidr\": \"10.0.0.0/24\", \"dns_nameservers\": [\"192.0.2.53\"],"
                + " \"host_routes\": [{\"destination\": \"192.168.0.0/16\", \"nexthop\": \"10.0.0.254\"}]");

        assertThat(subnet.get("gateway_ip").asText()).isEqualTo("10.0.0.1");
        assertThat(subnet.get("allocation_pools").toString()).isEqualTo("[{\"start\":\"10.0.0.2\",\"end\":\"10.0.0.254\"}]");
        assertThat(subnet.get("enable_dhcp").asBoolean()).isTrue();
        assertThat(subnet.get("dns_nameservers").toString()).isEqualTo("[\"192.0.2.53\"]");
        assertThat(subnet.at("/host_routes/0/nexthop").asText()).isEqualTo("10.0.0.254");
        assertThat(neutron.http.get("/v2.0/networks/" + net, neutron.alpha).json().at("/network/subnets/0").asText())
                .isEqualTo(subnet.get("id").asText());
    }

    @Test
    void aGatewayInsideThePoolsIsAConflict() {
        assertNeutronError(create(", \"ip_version\": 4, \"cidr\": \"10.0.0.0/24\", \"gateway_ip\": \"10.0.0.10\","
                + " \"allocation_pools\": [{\"start\": \"10.0.0.5\", \"end\": \"10.0.0.20\"}]"), 409,
                "GatewayConflictWithAllocationPools");
    }

    @Test
    void explicitPoolsAndNoGatewayAreKeptAsGiven() {
        Http.Reply reply = create(", \"ip_version\": 4, \"cidr\": \"10.0.0.0/24\", \"gateway_ip\": null,"
                + " \"allocation_pools\": [{\"start\": \"10.0.0.100\", \"end\": \"10.0.0.110\"}]");

        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        assertThat(reply.json().at("/subnet/gateway_ip").isNull()).isTrue();
        String port = neutron.create(neutron.alpha, "port", "\"network_id\": \"" + net + "\"").at("/fixed_ips/0/ip_address")
                .asText();
        assertThat(port).isEqualTo("10.0.0.100");
    }

    @Test
    void malformedOrMisfitCidrsAreRefusedAsNeutronDoes() {
        Http.Reply tooLong = create(", \"ip_version\": 4, \"cidr\": \"10.0.0.0/33\"");
        assertNeutronError(tooLong, 400, "InvalidInput");
        assertThat(tooLong.json().at("/NeutronError/message").asText())
                .isEqualTo("Invalid input for operation: 10.0.0.0/33 is not in a CIDR format.");
        assertNeutronError(create(", \"ip_version\": 4, \"cidr\": \"10.0.0.5/24\""), 400, "InvalidInput");
        assertNeutronError(create(", \"ip_version\": 6, \"cidr\": \"10.0.0.0/24\""), 400, "InvalidInput");
        assertNeutronError(create(", \"ip_version\": 5, \"cidr\": \"10.0.0.0/24\""), 400, "HTTPBadRequest");
        assertNeutronError(create(", \"ip_version\": 6, \"cidr\": \"2001:db8::/56\", \"ipv6_address_mode\": \"slaac\""),
                400, "InvalidInput");
        assertNeutronError(create(", \"ip_version\": 4, \"cidr\": \"10.0.0.0/24\", \"ipv6_address_mode\": \"slaac\""),
                400, "InvalidInput");
        assertNeutronError(create(", \"ip_version\": 4, \"cidr\": \"10.0.0.0/24\", \"dns_nameservers\": [\"x\"]"),
                400, "HTTPBadRequest");
        assertThat(neutron.http.get("/v2.0/subnets", neutron.alpha).json().get("subnets")).isEmpty();
    }

    @Test
    void newPoolsHandOutOnlyTheirFreeAddressesAndKeepThoseInUse() {
        String id = neutron.subnet(neutron.alpha, net, "10.0.0.0/24");
        String port = "{\"port\": {\"network_id\": \"" + net + "\"%s}}";
        neutron.http.post("/v2.0/ports", neutron.alpha, port.formatted(""));
        neutron.http.post("/v2.0/ports", neutron.alpha, port.formatted(", \"fixed_ips\": [{\"ip_address\": \"10.0.0.101\"}]"));

        Http.Reply updated = neutron.http.send("PUT", "/v2.0/subnets/" + id, neutron.alpha,
                "{\"subnet\": {\"allocation_pools\": [{\"start\": \"10.0.0.100\", \"end\": \"10.0.0.102\"}]}}");

        assertThat(updated.status()).as(updated.toString()).isEqualTo(200);
        assertThat(updated.json().at("/subnet/allocation_pools").toString())
                .isEqualTo("[{\"start\":\"10.0.0.100\",\"end\":\"10.0.0.102\"}]");
        assertThat(neutron.create(neutron.alpha, "port", "\"network_id\": \"" + net + "\"").at("/fixed_ips/0/ip_address")
                .asText()).isEqualTo("10.0.0.100");
        assertThat(neutron.create(neutron.alpha, "port", "\"network_id\": \"" + net + "\"").at("/fixed_ips/0/ip_address")
                .asText()).isEqualTo("10.0.0.102");
        assertNeutronError(neutron.http.post("/v2.0/ports", neutron.alpha, port.formatted("")), 409, "IpAddressGenerationFailure");
        assertNeutronError(neutron.http.send("PUT", "/v2.0/subnets/" + id, neutron.alpha,
                "{\"subnet\": {\"allocation_pools\": [{\"start\": \"10.0.0.1\", \"end\": \"10.0.0.9\"}]}}"), 409,
                "GatewayConflictWithAllocationPools");
    }

    @Test
    void subnetsOfOneNetworkMayNotOverlap() {
        neutron.subnet(neutron.alpha, net, "10.0.0.0/24");

        assertNeutronError(create(", \"ip_version\": 4, \"cidr\": \"10.0.0.128/25\""), 400, "InvalidInput");
        String other = neutron.network(neutron.alpha, "net2");
        neutron.subnet(neutron.alpha, other, "10.0.0.0/24");
    }

    @Test
    void aSubnetIsUpdatedAndDeleted() {
        String id = neutron.subnet(neutron.alpha, net, "10.0.0.0/24");

        Http.Reply updated = neutron.http.send("PUT", "/v2.0/subnets/" + id, neutron.alpha,
                "{\"subnet\": {\"name\": \"renamed\", \"enable_dhcp\": false, \"dns_nameservers\": [\"192.0.2.1\"]}}");

        assertThat(updated.status()).as(updated.toString()).isEqualTo(200);
        assertThat(updated.json().at("/subnet/name").asText()).isEqualTo("renamed");
        assertThat(updated.json().at("/subnet/revision_number").asLong()).isEqualTo(2);
        assertNeutronError(neutron.http.send("PUT", "/v2.0/subnets/" + id, neutron.alpha,
                "{\"subnet\": {\"cidr\": \"10.1.0.0/24\"}}"), 400, "HTTPBadRequest");
        assertNeutronError(neutron.http.send("PUT", "/v2.0/subnets/" + id, neutron.alpha,
                "{\"subnet\": {\"allocation_pools\": [{\"start\": \"10.0.0.20\", \"end\": \"10.1.0.5\"}]}}"), 400,
                "InvalidInput");
        assertThat(neutron.http.send("DELETE", "/v2.0/subnets/" + id, neutron.alpha, null).status()).isEqualTo(204);
        assertNeutronError(neutron.http.get("/v2.0/subnets/" + id, neutron.alpha), 404, "SubnetNotFound");
    }

    @Test
    void anAutoAddressedSubnetIsDeletedUnderItsPortsWhichKeepTheirOtherAddresses() {
        String v4 = neutron.subnet(neutron.alpha, net, "10.0.0.0/24");
        Http.Reply slaac = create(", \"ip_version\": 6, \"cidr\": \"2001:db8:1::/64\", \"ipv6_address_mode\": \"slaac\","
                + " \"ipv6_ra_mode\": \"slaac\"");
        assertThat(slaac.status()).as(slaac.toString()).isEqualTo(201);
        String v6 = slaac.json().at("/subnet/id").asText();
        com.fasterxml.jackson.databind.JsonNode port = neutron.create(neutron.alpha, "port", "\"network_id\": \"" + net + "\"");
        assertThat(port.get("fixed_ips").findValuesAsText("subnet_id")).containsExactlyInAnyOrder(v4, v6);
        String portId = port.get("id").asText();

        assertNeutronError(neutron.http.send("DELETE", "/v2.0/subnets/" + v4, neutron.alpha, null), 409, "SubnetInUse");
        assertThat(neutron.http.send("DELETE", "/v2.0/subnets/" + v6, neutron.alpha, null).status()).isEqualTo(204);

        com.fasterxml.jackson.databind.JsonNode after = neutron.http.get("/v2.0/ports/" + portId, neutron.alpha).json()
                .get("port");
        assertThat(after.get("fixed_ips").findValuesAsText("subnet_id")).containsExactly(v4);
        assertThat(after.get("revision_number").asLong()).isGreaterThan(port.get("revision_number").asLong());
        assertNeutronError(neutron.http.send("DELETE", "/v2.0/networks/" + net, neutron.alpha, null), 409, "NetworkInUse");
    }
}
