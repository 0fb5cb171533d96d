package dev.portside.network;

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

/** A project sees and changes only its own networks, subnets and ports, and shared networks; admin sees all. */
@ParameterizedClass(name = "on {0}")
@MethodSource("dev.portside.common.testing.TestDatabase#configured")
class IsolationTest {
    @Parameter
    TestDatabase kind;
    NetworkServer neutron;
    String net;
    String subnet;
    String port;

    @BeforeEach
    void start() {
        neutron = new NetworkServer(kind);
        net = neutron.network(neutron.alpha, "alpha-net");
        subnet = neutron.subnet(neutron.alpha, net, "10.0.0.0/24");
        port = neutron.create(neutron.alpha, "port", "\"network_id\": \"" + net + "\"").get("id").asText();
    }

    @AfterEach
    void stop() {
        neutron.close();
    }

    @Test
    void anotherProjectCannotReadChangeDeleteOrAttachToAProjectsResources() {
        Http http = neutron.http;
        String beta = neutron.beta;

        assertNeutronError(http.get("/v2.0/networks/" + net, beta), 404, "NetworkNotFound");
        assertNeutronError(http.get("/v2.0/subnets/" + subnet, beta), 404, "SubnetNotFound");
        assertNeutronError(http.get("/v2.0/ports/" + port, beta), 404, "PortNotFound");
        assertNeutronError(http.send("PUT", "/v2.0/networks/" + net, beta, "{\"network\": {\"name\": \"x\"}}"), 404, "NetworkNotFound");
        assertNeutronError(http.send("PUT", "/v2.0/ports/" + port, beta, "{\"port\": {\"name\": \"x\"}}"), 404, "PortNotFound");
        assertNeutronError(http.send("PUT", "/v2.0/subnets/" + subnet, beta, "{\"subnet\": {\"name\": \"x\"}}"), 404,
                "SubnetNotFound");
        assertNeutronError(http.send("DELETE", "/v2.0/networks/" + net, beta, null), 404, "NetworkNotFound");
        assertNeutronError(http.send("DELETE", "/v2.0/subnets/" + subnet, beta, null), 404, "SubnetNotFound");
        assertNeutronError(http.send("DELETE", "/v2.0/ports/" + port, beta, null), 404, "PortNotFound");
        assertNeutronError(http.post("/v2.0/ports", beta, "{\"port\": {\"network_id\": \"" + net + "\"}}"), 404, "NetworkNotFound");
        assertNeutronError(http.post("/v2.0/subnets", beta, "{\"subnet\": {\"network_id\": \"" + net
                + "\", \"ip_version\": 4, \"cidr\": \"10.1.0.0/24\"}}"), 404, "NetworkNotFound");
        assertThat(http.get("/v2.0/networks", beta).json().get("networks")).isEmpty();
        assertThat(http.get("/v2.0/ports", beta).json().get("ports")).isEmpty();
        assertThat(http.get("/v2.0/subnets", beta).json().get("subnets")).isEmpty();
        assertThat(http.get("/v2.0/ports/" + port, neutron.alpha).json().at("/port/name").asText()).isEmpty();
    }

    @Test
    void aSharedNetworkIsVisibleAndUsableButNotOwnedByOthers() {
        assertNeutronError(neutron.http.post("/v2.0/networks", neutron.alpha,
                "{\"network\": {\"name\": \"s\", \"shared\": true}}"), 403, "PolicyNotAuthorized");
        String shared = neutron.create(neutron.admin, "network", "\"name\": \"public\", \"shared\": true").get("id").asText();
        neutron.subnet(neutron.admin, shared, "192.0.2.0/24");

        assertThat(neutron.http.get("/v2.0/networks/" + shared, neutron.beta).status()).isEqualTo(200);
        assertThat(neutron.http.get("/v2.0/networks", neutron.beta).json().get("networks").findValuesAsText("id"))
                .containsExactly(shared);
        String betaPort = neutron.create(neutron.beta, "port", "\"network_id\": \"" + shared + "\"").get("id").asText();
        assertNeutronError(neutron.http.post("/v2.0/ports", neutron.beta, "{\"port\": {\"network_id\": \"" + shared
                + "\", \"fixed_ips\": [{\"ip_address\": \"192.0.2.77\"}]}}"), 403, "PolicyNotAuthorized");
        assertNeutronError(neutron.http.send("PUT", "/v2.0/networks/" + shared, neutron.beta,
                "{\"network\": {\"name\": \"mine\"}}"), 403, "PolicyNotAuthorized");
        assertNeutronError(neutron.http.send("DELETE", "/v2.0/networks/" + shared, neutron.beta, null), 403,
                "PolicyNotAuthorized");
        assertThat(neutron.http.get("/v2.0/ports", neutron.alpha).json().get("ports").findValuesAsText("id"))
                .doesNotContain(betaPort);
        assertNeutronError(neutron.http.send("PUT", "/v2.0/ports/" + betaPort, neutron.beta,
                "{\"port\": {\"port_security_enabled\": false, \"security_groups\": []}}"), 403, "PolicyNotAuthorized");
        assertNeutronError(neutron.http.send("PUT", "/v2.0/ports/" + betaPort, neutron.beta,
                "{\"port\": {\"allowed_address_pairs\": [{\"ip_address\": \"0.0.0.0/0\"}]}}"), 403, "PolicyNotAuthorized");
        assertThat(neutron.http.send("PUT", "/v2.0/ports/" + betaPort, neutron.admin,
                "{\"port\": {\"port_security_enabled\": false, \"security_groups\": []}}").status()).isEqualTo(200);
    }

    @Test
    void anAdminSeesEveryProjectsResourcesAndMayCreateForAnother() {
        assertThat(neutron.http.get("/v2.0/ports/" + port, neutron.admin).status()).isEqualTo(200);
        assertThat(neutron.http.get("/v2.0/networks", neutron.admin).json().get("networks").findValuesAsText("id"))
                .contains(net);
        String alphaProject = neutron.http.get("/v2.0/networks/" + net, neutron.alpha).json().at("/network/project_id").asText();

        assertThat(neutron.create(neutron.admin, "network", "\"name\": \"given\", \"project_id\": \"" + alphaProject + "\"")
                .get("project_id").asText()).isEqualTo(alphaProject);
        assertNeutronError(neutron.http.post("/v2.0/networks", neutron.beta, "{\"network\": {\"name\": \"x\","
                + " \"project_id\": \"" + alphaProject + "\"}}"), 400, "HTTPBadRequest");
    }
}
