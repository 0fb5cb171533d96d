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
 * Neutron's L3 API: external networks, routers with a gateway, interfaces and extra routes, and
 * floating IPs, with the L3 plugin's checks and error types, nothing changed by a refused request,
 * and the ports routers and floating IPs hold kept from the port API. An unaddressed port is never
 * a router's interface.
 */
@ParameterizedClass(name = "on {0}")
@MethodSource("dev.portside.common.testing.TestDatabase#configured")
class RoutersTest {
    @Parameter
    TestDatabase kind;
    NetworkServer neutron;
    Http http;
    String publicNet;
    String publicSubnet;
    String net1;
    String subnet1;
    String net2;
    String subnet2;

    @BeforeEach
    void start() {
        neutron = new NetworkServer(kind);
        http = neutron.http;
        publicNet = neutron.create(neutron.admin, "network", "\"name\": \"public\", \"router:external\": true")
                .get("id").asText();
        publicSubnet = neutron.subnet(neutron.admin, publicNet, "172.24.4.0/24");
        net1 = neutron.network(neutron.alpha, "net1");
        subnet1 = neutron.subnet(neutron.alpha, net1, "10.1.0.0/24");
        net2 = neutron.network(neutron.alpha, "net2");
        subnet2 = neutron.subnet(neutron.alpha, net2, "10.2.0.0/24");
    }

    @AfterEach
    void stop() {
        neutron.close();
    }

    private JsonNode router(String attributes) {
        return neutron.create(neutron.alpha, "router", attributes);
    }

    private Http.Reply action(String router, String action, String body) {
        return http.send("PUT", "/v2.0/routers/" + router + "/" + action, neutron.alpha, body);
    }

    private JsonNode port(String id) {
        return http.get("/v2.0/ports/" + id, neutron.admin).json().get("port");
    }

    private String gateway() {
        return "\"external_gateway_info\": {\"network_id\": \"" + publicNet + "\"}";
    }

    @Test
    void anExternalNetworkIsAnAdminsToMakeAndEveryonesToSee() {
        JsonNode shown = http.get("/v2.0/networks/" + publicNet, neutron.alpha).json().get("network");
        assertThat(shown.get("router:external").asBoolean()).isTrue();
        assertThat(http.get("/v2.0/networks?router:external=true", neutron.beta).json().get("networks")
                .findValuesAsText("id")).containsExactly(publicNet);
        assertThat(http.get("/v2.0/networks/" + net1, neutron.alpha).json().at("/network/router:external").asBoolean())
                .isFalse();
        assertNeutronError(http.post("/v2.0/networks", neutron.alpha,
                "{\"network\": {\"name\": \"mine\", \"router:external\": true}}"), 403, "PolicyNotAuthorized");
        assertThat(http.get("/v2.0/extensions/external-net", neutron.alpha).status()).isEqualTo(200);
    }

    @Test
    void aRouterRoutesBetweenItsSubnetsThroughPortsItHoldsOnTheirGateways() {
        JsonNode router = router("\"name\": \"r1\", " + gateway());
        String id = router.get("id").asText();
        assertThat(router.get("status").asText()).isEqualTo("ACTIVE");
        JsonNode info = router.get("external_gateway_info");
        assertThat(info.get("network_id").asText()).isEqualTo(publicNet);
        assertThat(info.get("enable_snat").asBoolean()).as("ext-gw-mode: SNAT by default").isTrue();
        assertThat(info.at("/external_fixed_ips/0/subnet_id").asText()).isEqualTo(publicSubnet);
        assertThat(info.at("/external_fixed_ips/0/ip_address").asText()).startsWith("172.24.4.");

        Http.Reply added = action(id, "add_router_interface", "{\"subnet_id\": \"" + subnet1 + "\"}");
        assertThat(added.status()).as(added.toString()).isEqualTo(200);
        assertThat(added.json().get("id").asText()).isEqualTo(id);
        assertThat(added.json().get("subnet_id").asText()).isEqualTo(subnet1);
        assertThat(added.json().get("network_id").asText()).isEqualTo(net1);
        String interfacePort = added.json().get("port_id").asText();
        JsonNode held = port(interfacePort);
        assertThat(held.get("device_owner").asText()).isEqualTo("network:router_interface");
        assertThat(held.get("device_id").asText()).isEqualTo(id);
        assertThat(held.at("/fixed_ips/0/ip_address").asText()).as("the subnet's gateway").isEqualTo("10.1.0.1");
        assertThat(http.get("/v2.0/ports?device_id=" + id, neutron.admin).json().get("ports").size())
                .as("the interface and the gateway port").isEqualTo(2);

        // A port of the project's joins as it is, keeping its address.
        String own = neutron.create(neutron.alpha, "port", "\"network_id\": \"" + net2 + "\", \"fixed_ips\": [{\"ip_address\":"
                + " \"10.2.0.254\"}]").get("id").asText();
        assertThat(action(id, "add_router_interface", "{\"port_id\": \"" + own + "\"}").status()).isEqualTo(200);
        assertThat(port(own).get("device_owner").asText()).isEqualTo("network:router_interface");

        assertNeutronError(action(id, "add_router_interface", "{\"subnet_id\": \"" + subnet1 + "\"}"), 400, "HTTPBadRequest");
        assertNeutronError(http.send("DELETE", "/v2.0/ports/" + interfacePort, neutron.alpha, null), 409,
                "ServicePortInUse");
        assertNeutronError(http.send("DELETE", "/v2.0/routers/" + id, neutron.alpha, null), 409, "RouterInUse");
        assertNeutronError(http.send("DELETE", "/v2.0/subnets/" + subnet1, neutron.alpha, null), 409, "SubnetInUse");

        Http.Reply removed = action(id, "remove_router_interface", "{\"subnet_id\": \"" + subnet1 + "\"}");
        assertThat(removed.status()).as(removed.toString()).isEqualTo(200);
        assertThat(removed.json().get("port_id").asText()).isEqualTo(interfacePort);
        assertThat(http.get("/v2.0/ports/" + interfacePort, neutron.admin).status()).isEqualTo(404);
        assertThat(action(id, "remove_router_interface", "{\"port_id\": \"" + own + "\"}").status()).isEqualTo(200);
        assertNeutronError(action(id, "remove_router_interface", "{\"subnet_id\": \"" + subnet1 + "\"}"), 404,
                "RouterInterfaceNotFoundForSubnet");

        String gatewayPort = http.get("/v2.0/ports?device_owner=network:router_gateway", neutron.admin).json()
                .at("/ports/0/id").asText();
        assertThat(http.send("DELETE", "/v2.0/routers/" + id, neutron.alpha, null).status()).isEqualTo(204);
        assertThat(http.get("/v2.0/ports/" + gatewayPort, neutron.admin).status()).as("the gateway goes with it")
                .isEqualTo(404);
        assertThat(http.get("/v2.0/routers/" + id, neutron.alpha).status()).isEqualTo(404);
    }

    @Test
    void anUnaddressedPortIsNeverARoutersInterface() {
        String id = router("\"name\": \"r1\"").get("id").asText();
        String unaddressed = neutron.create(neutron.alpha, "port", "\"network_id\": \"" + net1 + "\", \"fixed_ips\": []")
                .get("id").asText();
        Http.Reply refused = action(id, "add_router_interface", "{\"port_id\": \"" + unaddressed + "\"}");
        assertNeutronError(refused, 400, "HTTPBadRequest");
        assertThat(refused.json().at("/NeutronError/message").asText())
                .isEqualTo("Bad router request: Router port must have at least one fixed IP.");
        assertThat(port(unaddressed).get("device_owner").asText()).isEmpty();
    }

    @Test
    void aRouterRefusesWhatNeutronRefuses() {
        String id = router("\"name\": \"r1\"").get("id").asText();
        assertNeutronError(http.post("/v2.0/routers", neutron.alpha, "{\"router\": {\"external_gateway_info\":"
                + " {\"network_id\": \"" + net1 + "\"}}}"), 400, "HTTPBadRequest");
        assertNeutronError(http.post("/v2.0/routers", neutron.alpha, "{\"router\": {\"external_gateway_info\":"
                + " {\"network_id\": \"" + publicNet + "\", \"enable_snat\": false}}}"), 403, "PolicyNotAuthorized");
        assertThat(http.get("/v2.0/routers", neutron.alpha).json().get("routers").size()).as("nothing half-made")
                .isEqualTo(1);
        assertNeutronError(action(id, "add_router_interface", "{}"), 400, "HTTPBadRequest");
        assertNeutronError(action(id, "add_router_interface", "{\"subnet_id\": \"" + subnet1 + "\", \"port_id\": \""
                + subnet1 + "\"}"), 400, "HTTPBadRequest");
        String overlapping = neutron.network(neutron.alpha, "again");
        String overlappingSubnet = neutron.subnet(neutron.alpha, overlapping, "10.1.0.0/25");
        assertThat(action(id, "add_router_interface", "{\"subnet_id\": \"" + subnet1 + "\"}").status()).isEqualTo(200);
        assertNeutronError(action(id, "add_router_interface", "{\"subnet_id\": \"" + overlappingSubnet + "\"}"), 400,
                "HTTPBadRequest");
        String used = neutron.create(neutron.alpha, "port", "\"network_id\": \"" + net2 + "\", \"device_id\": \"vm\"")
                .get("id").asText();
        assertNeutronError(action(id, "add_router_interface", "{\"port_id\": \"" + used + "\"}"), 409, "PortInUse");
        assertNeutronError(action("0b7e3e4c-5a38-4b5e-9b1c-8d3f1e2a7c11", "add_router_interface",
                "{\"subnet_id\": \"" + subnet2 + "\"}"), 404, "RouterNotFound");
        assertNeutronError(http.get("/v2.0/routers/" + id, neutron.beta), 404, "RouterNotFound");
    }

    @Test
    void extraRoutesNeedANexthopOnTheRoutersSubnets() {
        String id = router("\"name\": \"r1\"").get("id").asText();
        action(id, "add_router_interface", "{\"subnet_id\": \"" + subnet1 + "\"}");
        String route = "{\"destination\": \"192.168.7.0/24\", \"nexthop\": \"10.1.0.9\"}";
        assertNeutronError(http.send("PUT", "/v2.0/routers/" + id, neutron.alpha, "{\"router\": {\"routes\": ["
                + "{\"destination\": \"192.168.7.0/24\", \"nexthop\": \"10.9.0.9\"}]}}"), 400, "InvalidRoutes");
        assertNeutronError(http.send("PUT", "/v2.0/routers/" + id, neutron.alpha, "{\"router\": {\"routes\": ["
                + "{\"destination\": \"192.168.7.0/24\", \"nexthop\": \"10.1.0.1\"}]}}"), 400, "InvalidRoutes");
        Http.Reply set = http.send("PUT", "/v2.0/routers/" + id, neutron.alpha, "{\"router\": {\"routes\": [" + route + "]}}");
        assertThat(set.status()).as(set.toString()).isEqualTo(200);
        assertThat(set.json().at("/router/routes/0/nexthop").asText()).isEqualTo("10.1.0.9");

        Http.Reply added = action(id, "add_extraroutes", "{\"router\": {\"routes\": [{\"destination\": \"192.168.8.0/24\","
                + " \"nexthop\": \"10.1.0.10\"}]}}");
        assertThat(added.status()).as(added.toString()).isEqualTo(200);
        assertThat(added.json().at("/router/routes").findValuesAsText("destination"))
                .containsExactly("192.168.7.0/24", "192.168.8.0/24");
        assertNeutronError(action(id, "remove_router_interface", "{\"subnet_id\": \"" + subnet1 + "\"}"), 409,
                "RouterInterfaceInUseByRoute");
        Http.Reply removed = action(id, "remove_extraroutes", "{\"router\": {\"routes\": [" + route + "]}}");
        assertThat(removed.json().at("/router/routes").findValuesAsText("destination")).containsExactly("192.168.8.0/24");
        Http.Reply cleared = http.send("PUT", "/v2.0/routers/" + id, neutron.alpha, "{\"router\": {\"routes\": null}}");
        assertThat(cleared.json().at("/router/routes")).as("null clears them, as tempest does").isEmpty();
    }

    @Test
    void aFloatingIpReachesAFixedAddressThroughTheRouterBetweenThem() {
        String instancePort = neutron.create(neutron.alpha, "port", "\"network_id\": \"" + net1 + "\"").get("id").asText();
        Http.Reply unreachable = http.post("/v2.0/floatingips", neutron.alpha, "{\"floatingip\": {\"floating_network_id\": \""
                + publicNet + "\", \"port_id\": \"" + instancePort + "\"}}");
        assertNeutronError(unreachable, 404, "ExternalGatewayForFloatingIPNotFound");
        assertThat(http.get("/v2.0/floatingips", neutron.alpha).json().get("floatingips")).as("nothing half-made").isEmpty();
        assertThat(http.get("/v2.0/ports?device_owner=network:floatingip", neutron.admin).json().get("ports")).isEmpty();

        String router = router("\"name\": \"r1\", " + gateway()).get("id").asText();
        action(router, "add_router_interface", "{\"subnet_id\": \"" + subnet1 + "\"}");
        JsonNode fip = neutron.create(neutron.alpha, "floatingip", "\"floating_network_id\": \"" + publicNet + "\"");
        String id = fip.get("id").asText();
        assertThat(fip.get("status").asText()).isEqualTo("DOWN");
        assertThat(fip.get("port_id").isNull()).isTrue();
        assertThat(fip.get("router_id").isNull()).isTrue();
        assertThat(fip.get("floating_ip_address").asText()).startsWith("172.24.4.");
        assertThat(fip.has("subnet_id")).isFalse();

        Http.Reply associated = http.send("PUT", "/v2.0/floatingips/" + id, neutron.alpha,
                "{\"floatingip\": {\"port_id\": \"" + instancePort + "\"}}");
        assertThat(associated.status()).as(associated.toString()).isEqualTo(200);
        JsonNode now = associated.json().get("floatingip");
        assertThat(now.get("router_id").asText()).isEqualTo(router);
        assertThat(now.get("fixed_ip_address").asText()).isEqualTo(port(instancePort).at("/fixed_ips/0/ip_address").asText());
        assertThat(now.get("status").asText()).isEqualTo("ACTIVE");
        assertThat(http.get("/v2.0/floatingips?port_id=" + instancePort, neutron.alpha).json().get("floatingips")
                .findValuesAsText("id")).containsExactly(id);

        Http.Reply second = http.post("/v2.0/floatingips", neutron.alpha, "{\"floatingip\": {\"floating_network_id\": \""
                + publicNet + "\", \"port_id\": \"" + instancePort + "\"}}");
        assertNeutronError(second, 409, "FloatingIPPortAlreadyAssociated");
        assertNeutronError(action(router, "remove_router_interface", "{\"subnet_id\": \"" + subnet1 + "\"}"), 409,
                "RouterInterfaceInUseByFloatingIP");
        assertNeutronError(http.send("PUT", "/v2.0/routers/" + router, neutron.alpha,
                "{\"router\": {\"external_gateway_info\": {}}}"), 409, "RouterExternalGatewayInUseByFloatingIp");

        String unaddressed = neutron.create(neutron.alpha, "port", "\"network_id\": \"" + net1 + "\", \"fixed_ips\": []")
                .get("id").asText();
        assertNeutronError(http.send("PUT", "/v2.0/floatingips/" + id, neutron.alpha,
                "{\"floatingip\": {\"port_id\": \"" + unaddressed + "\"}}"), 400, "HTTPBadRequest");
        assertNeutronError(http.post("/v2.0/floatingips", neutron.alpha, "{\"floatingip\": {\"floating_network_id\": \""
                + net1 + "\"}}"), 400, "HTTPBadRequest");
        assertNeutronError(http.post("/v2.0/floatingips", neutron.alpha, "{\"floatingip\": {\"floating_network_id\": \""
                + publicNet + "\", \"floating_ip_address\": \"172.24.4.77\"}}"), 403, "PolicyNotAuthorized");

        // Deleting the instance's port leaves the floating IP to its project, unassociated.
        assertThat(http.send("DELETE", "/v2.0/ports/" + instancePort, neutron.alpha, null).status()).isEqualTo(204);
        JsonNode freed = http.get("/v2.0/floatingips/" + id, neutron.alpha).json().get("floatingip");
        assertThat(freed.get("port_id").isNull()).isTrue();
        assertThat(freed.get("status").asText()).isEqualTo("DOWN");
        assertThat(http.get("/v2.0/floatingips/" + id, neutron.beta).status()).isEqualTo(404);

        String floatingPort = http.get("/v2.0/ports?device_id=" + id, neutron.admin).json().at("/ports/0/id").asText();
        assertThat(port(floatingPort).get("device_owner").asText()).isEqualTo("network:floatingip");
        assertThat(http.send("DELETE", "/v2.0/floatingips/" + id, neutron.alpha, null).status()).isEqualTo(204);
        assertThat(http.get("/v2.0/ports/" + floatingPort, neutron.admin).status()).isEqualTo(404);
        assertNeutronError(http.send("PUT", "/v2.0/networks/" + publicNet, neutron.admin,
                "{\"network\": {\"router:external\": false}}"), 409, "ExternalNetworkInUse");
    }
}
