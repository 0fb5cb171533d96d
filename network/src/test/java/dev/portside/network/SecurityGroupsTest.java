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
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.portside.network.NetworkServer.assertNeutronError;
import static org.assertj.core.api.Assertions.assertThat;

@ParameterizedClass(name = "on {0}")
@MethodSource("dev.portside.common.testing.TestDatabase#configured")
class SecurityGroupsTest {
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
        neutron.subnet(neutron.alpha, net, "10.0.0.0/24");
    }

    @AfterEach
    void stop() {
        neutron.close();
    }

    JsonNode port(String attributes) {
        return neutron.create(neutron.alpha, "port", "\"network_id\": \"" + net + "\"" + attributes);
    }

    String group(String name) {
        Http.Reply reply = http.post("/v2.0/security-groups", neutron.alpha, "{\"security_group\": {\"name\": \"" + name + "\"}}");
        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        return reply.json().at("/security_group/id").asText();
    }

    Http.Reply rule(String groupId, String attributes) {
        return http.post("/v2.0/security-group-rules", neutron.alpha, "{\"security_group_rule\": {\"security_group_id\": \""
                + groupId + "\", \"direction\": \"ingress\"" + attributes + "}}");
    }

    @Test
    void aProjectsDefaultGroupIsMadeOnFirstNeedWithOpenStacksDefaultRules() {
        JsonNode groups = http.get("/v2.0/security-groups", neutron.alpha).json().get("security_groups");

        assertThat(groups).hasSize(1);
        JsonNode group = groups.get(0);
        assertThat(group.get("name").asText()).isEqualTo("default");
        JsonNode rules = group.get("security_group_rules");
        assertThat(rules).hasSize(4);
        assertThat(rules.findValuesAsText("direction")).containsExactlyInAnyOrder("egress", "egress", "ingress", "ingress");
        for (JsonNode rule : rules) {
            if (rule.get("direction").asText().equals("ingress")) {
                assertThat(rule.get("remote_group_id").asText()).isEqualTo(group.get("id").asText());
            } else {
                assertThat(rule.get("remote_group_id").isNull()).isTrue();
            }
        }
    }

    @Test
    void concurrentFirstNeedsStillMakeOneDefaultGroup() throws Exception {
        List<Callable<Integer>> creates = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            creates.add(() -> http.post("/v2.0/ports", neutron.beta, "{\"port\": {\"network_id\": \""
                    + neutron.network(neutron.beta, "b") + "\"}}").status());
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        for (Future<Integer> status : pool.invokeAll(creates)) {
            assertThat(status.get()).isEqualTo(201);
        }
        pool.shutdown();

        JsonNode groups = http.get("/v2.0/security-groups?name=default", neutron.beta).json().get("security_groups");
        assertThat(groups).hasSize(1);
        assertThat(http.get("/v2.0/ports", neutron.beta).json().get("ports").findValuesAsText("security_groups"))
                .isNotNull();
        for (JsonNode port : http.get("/v2.0/ports", neutron.beta).json().get("ports")) {
            assertThat(port.at("/security_groups/0").asText()).isEqualTo(groups.at("/0/id").asText());
        }
    }

    @Test
    void concurrentFirstNeedsMakeOneDefaultGroupAlsoWhenNoQuotaLockSerialisesThem() throws Exception {
        String shared = neutron.create(neutron.admin, "network", "\"name\": \"s\", \"shared\": true").get("id").asText();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        // Projects the admin makes ports for, each with its port quota lifted: their first creates race.
        for (int round = 0; round < 12; round++) {
            String project = java.util.UUID.randomUUID().toString().replace("-", "");
            assertThat(http.send("PUT", "/v2.0/quotas/" + project, neutron.admin, "{\"quota\": {\"port\": -1}}")
                    .status()).isEqualTo(200);
            List<Callable<Http.Reply>> creates = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                creates.add(() -> http.post("/v2.0/ports", neutron.admin, "{\"port\": {\"network_id\": \"" + shared
                        + "\", \"tenant_id\": \"" + project + "\", \"fixed_ips\": []}}"));
            }
            for (Future<Http.Reply> reply : pool.invokeAll(creates)) {
                assertThat(reply.get().status()).as(reply.get().toString()).isEqualTo(201);
            }
            JsonNode groups = http.get("/v2.0/security-groups?name=default&project_id=" + project, neutron.admin).json()
                    .get("security_groups");
            assertThat(groups).hasSize(1);
            for (JsonNode port : http.get("/v2.0/ports?project_id=" + project, neutron.admin).json().get("ports")) {
                assertThat(port.at("/security_groups/0").asText()).isEqualTo(groups.at("/0/id").asText());
            }
        }
        pool.shutdown();
    }

    @Test
    void anUnaddressedPortStillGetsPortSecurityAndTheDefaultGroup() {
        JsonNode port = port(", \"fixed_ips\": []");

        assertThat(port.get("port_security_enabled").asBoolean()).isTrue();
        assertThat(port.get("security_groups")).hasSize(1);
        assertThat(port.get("ip_allocation").asText()).isEqualTo("none");
    }

    @Test
    void portSecurityCannotBeDisabledWhileThePortHasGroupsUnlessTheyGoInTheSameRequest() {
        String id = port(", \"fixed_ips\": []").get("id").asText();

        Http.Reply refused = http.send("PUT", "/v2.0/ports/" + id, neutron.alpha, "{\"port\": {\"port_security_enabled\": false}}");
        Http.Reply accepted = http.send("PUT", "/v2.0/ports/" + id, neutron.alpha,
                "{\"port\": {\"port_security_enabled\": false, \"security_groups\": []}}");

        assertNeutronError(refused, 409, "PortSecurityPortHasSecurityGroup");
        assertThat(refused.json().at("/NeutronError/message").asText()).isEqualTo("Port has security group associated."
                + " Cannot disable port security or IP address until security group is removed.");
        assertThat(accepted.status()).as(accepted.toString()).isEqualTo(200);
        assertThat(accepted.json().at("/port/security_groups")).isEmpty();
        assertThat(accepted.json().at("/port/port_security_enabled").asBoolean()).isFalse();
        assertNeutronError(http.send("PUT", "/v2.0/ports/" + id, neutron.alpha,
                "{\"port\": {\"security_groups\": [\"" + group("web") + "\"]}}"), 400, "PortSecurityAndIPRequiredForSecurityGroups");
    }

    @Test
    void aPortWithoutPortSecurityHasNoGroupsAndNoAddressPairs() {
        JsonNode port = port(", \"port_security_enabled\": false");

        assertThat(port.get("security_groups")).isEmpty();
        assertNeutronError(http.send("PUT", "/v2.0/ports/" + port.get("id").asText(), neutron.alpha,
                "{\"port\": {\"allowed_address_pairs\": [{\"ip_address\": \"10.9.0.0/16\"}]}}"), 409,
                "AddressPairAndPortSecurityRequired");
    }

    @Test
    void allowedAddressPairsTakeThePortsMacUnlessGivenAndRefuseDuplicates() {
        JsonNode port = port(", \"allowed_address_pairs\": [{\"ip_address\": \"10.9.0.0/16\"},"
                + " {\"ip_address\": \"192.0.2.1\", \"mac_address\": \"fa:16:3e:00:00:01\"}]");

        assertThat(port.at("/allowed_address_pairs/0/mac_address").asText()).isEqualTo(port.get("mac_address").asText());
        assertThat(port.get("allowed_address_pairs").findValuesAsText("ip_address")).containsExactly("10.9.0.0/16", "192.0.2.1");
        assertNeutronError(http.send("PUT", "/v2.0/ports/" + port.get("id").asText(), neutron.alpha,
                "{\"port\": {\"allowed_address_pairs\": [{\"ip_address\": \"10.9.0.1\"}, {\"ip_address\": \"10.9.0.1\"}]}}"),
                400, "HTTPBadRequest");
    }

    @Test
    void rulesAreCheckedAsNeutronChecksThem() {
        String web = group("web");

        Http.Reply ssh = rule(web, ", \"protocol\": \"tcp\", \"port_range_min\": 22, \"port_range_max\": 22,"
                + " \"remote_ip_prefix\": \"10.0.0.5/8\"");
        assertThat(ssh.status()).as(ssh.toString()).isEqualTo(201);
        assertThat(ssh.json().at("/security_group_rule/remote_ip_prefix").asText()).as("kept as given, as Neutron keeps it")
                .isEqualTo("10.0.0.5/8");
        assertNeutronError(rule(web, ", \"protocol\": \"tcp\", \"port_range_min\": 22, \"port_range_max\": 22,"
                + " \"remote_ip_prefix\": \"10.0.0.5/8\""), 409, "SecurityGroupRuleExists");
        assertThat(rule(web, ", \"protocol\": \"tcp\", \"port_range_min\": 22, \"port_range_max\": 22,"
                + " \"remote_ip_prefix\": \"10.0.0.0/8\"").status()).as("another prefix to Neutron").isEqualTo(201);
        assertThat(rule(web, ", \"protocol\": \"udp\", \"remote_ip_prefix\": \"10.1.1.1\"").json()
                .at("/security_group_rule/remote_ip_prefix").asText()).isEqualTo("10.1.1.1/32");
        assertThat(rule(web, ", \"protocol\": \"icmp\", \"port_range_min\": 8, \"port_range_max\": 0").status()).isEqualTo(201);
        assertThat(rule(web, ", \"protocol\": 132").status()).isEqualTo(201);
        assertNeutronError(rule(web, ", \"protocol\": \"warp\""), 400, "SecurityGroupRuleInvalidProtocol");
        assertNeutronError(rule(web, ", \"protocol\": \"tcp\", \"port_range_min\": 90, \"port_range_max\": 80"), 400,
                "SecurityGroupInvalidPortRange");
        assertNeutronError(rule(web, ", \"protocol\": \"gre\", \"port_range_min\": 90"), 400, "InvalidInput");
        assertNeutronError(rule(web, ", \"ethertype\": \"IPv6\", \"remote_ip_prefix\": \"10.0.0.0/8\""), 400,
                "SecurityGroupRuleParameterConflict");
        assertNeutronError(rule(web, ", \"remote_ip_prefix\": \"10.0.0.0/8\", \"remote_group_id\": \"" + web + "\""), 400,
                "SecurityGroupRemoteGroupAndRemoteIpPrefix");
        assertNeutronError(http.post("/v2.0/security-group-rules", neutron.alpha, "{\"security_group_rule\": {"
                + "\"security_group_id\": \"" + web + "\", \"direction\": \"sideways\"}}"), 400, "HTTPBadRequest");
    }

    @Test
    void portRangesAndIcmpTypesAreCheckedWithNeutronsMessages() {
        String web = group("web");
        String[][] refused = {
            {"tcp", "-16", "80", "SecurityGroupInvalidPortValue", "Invalid value for port -16"},
            {"tcp", "80", "79", "SecurityGroupInvalidPortRange", "port_range_min must be <= port_range_max"},
            {"tcp", "80", "65536", "SecurityGroupInvalidPortValue", "Invalid value for port 65536"},
            {"tcp", "null", "6", "SecurityGroupInvalidPortRange", "port_range_min must be <= port_range_max"},
            {"tcp", "0", "80", "SecurityGroupInvalidPortValue", "Invalid value for port 0"},
            {"icmp", "1", "256", "SecurityGroupInvalidIcmpValue", "Invalid value for ICMP code (port_range_max) 256"},
            {"icmp", "-1", "25", "SecurityGroupInvalidPortValue", "Invalid value for port -1"},
            {"icmp", "null", "6", "SecurityGroupMissingIcmpType", "ICMP type (port-range-min) is missing"},
            {"icmp", "300", "1", "SecurityGroupInvalidIcmpValue", "Invalid value for ICMP type (port_range_min) 300"},
            {"null", "22", "22", "SecurityGroupProtocolRequiredWithPorts", "Must also specify protocol"},
        };
        for (String[] rule : refused) {
            Http.Reply reply = rule(web, ", \"protocol\": " + (rule[0].equals("null") ? "null" : "\"" + rule[0] + "\"")
                    + ", \"port_range_min\": " + rule[1] + ", \"port_range_max\": " + rule[2]);
            assertNeutronError(reply, 400, rule[3]);
            assertThat(reply.json().at("/NeutronError/message").asText()).contains(rule[4]);
        }
        int before = http.get("/v2.0/security-groups/" + web, neutron.alpha).json()
                .at("/security_group/security_group_rules").size();

        // An ICMP type alone (any code), its code given as null, as `--icmp-type 8` sends it; ports as text.
        Http.Reply echo = rule(web, ", \"protocol\": \"icmp\", \"port_range_min\": 11, \"port_range_max\": null");
        assertThat(echo.status()).as(echo.toString()).isEqualTo(201);
        assertThat(echo.json().at("/security_group_rule/port_range_min").asInt()).isEqualTo(11);
        assertThat(echo.json().at("/security_group_rule/port_range_max").isNull()).isTrue();
        Http.Reply text = rule(web, ", \"protocol\": \"tcp\", \"port_range_min\": \"8000\", \"port_range_max\": \"8080\"");
        assertThat(text.status()).as(text.toString()).isEqualTo(201);
        assertThat(text.json().at("/security_group_rule/port_range_max").asInt()).isEqualTo(8080);
        assertThat(http.get("/v2.0/security-groups/" + web, neutron.alpha).json()
                .at("/security_group/security_group_rules").size()).as("only the two accepted rules").isEqualTo(before + 2);
    }

    @Test
    void aRemoteGroupThatDoesNotExistIsNotFoundAndNoGroupButTheDefaultIsNamedDefault() {
        String web = group("web");
        assertNeutronError(rule(web, ", \"protocol\": \"tcp\", \"remote_group_id\": \"bad_group_id\""), 404,
                "SecurityGroupNotFound");
        assertNeutronError(rule(web, ", \"protocol\": \"tcp\", \"remote_group_id\": \""
                + java.util.UUID.randomUUID() + "\""), 404, "SecurityGroupNotFound");
        assertNeutronError(http.send("PUT", "/v2.0/security-groups/" + web, neutron.alpha,
                "{\"security_group\": {\"name\": \"default\"}}"), 409, "SecurityGroupDefaultAlreadyExists");
        assertThat(http.get("/v2.0/security-groups/" + web, neutron.alpha).json().at("/security_group/name").asText())
                .isEqualTo("web");
    }

    @Test
    void aGroupInUseOrTheDefaultCannotBeDeletedAndOthersCannotSeeIt() {
        String web = group("web");
        String portId = port(", \"security_groups\": [\"" + web + "\"]").get("id").asText();
        String defaultGroup = http.get("/v2.0/security-groups?name=default", neutron.alpha).json()
                .at("/security_groups/0/id").asText();

        assertNeutronError(http.send("DELETE", "/v2.0/security-groups/" + web, neutron.alpha, null), 409, "SecurityGroupInUse");
        assertNeutronError(http.send("DELETE", "/v2.0/security-groups/" + defaultGroup, neutron.alpha, null), 409,
                "SecurityGroupCannotRemoveDefault");
        assertNeutronError(http.get("/v2.0/security-groups/" + web, neutron.beta), 404, "SecurityGroupNotFound");
        String betaNet = neutron.network(neutron.beta, "b");
        assertNeutronError(http.post("/v2.0/ports", neutron.beta, "{\"port\": {\"network_id\": \"" + betaNet
                + "\", \"security_groups\": [\"" + web + "\"]}}"), 404, "SecurityGroupNotFound");

        assertThat(http.send("DELETE", "/v2.0/ports/" + portId, neutron.alpha, null).status()).isEqualTo(204);
        assertThat(http.send("DELETE", "/v2.0/security-groups/" + web, neutron.alpha, null).status()).isEqualTo(204);
    }
}
