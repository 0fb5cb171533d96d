package dev.portside.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portside.common.testing.Http;
import dev.portside.common.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.portside.app.Cloud.assertNovaError;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Security groups through compute, as Nova does them with Neutron: groups named at boot go on the
 * ports compute makes, a server shows its ports' groups, and add/remove security group change every
 * port of the server, unaddressed ones included.
 */
@ParameterizedClass(name = "on {0}")
@MethodSource("dev.portside.common.testing.TestDatabase#configured")
class ServerSecurityGroupsTest {
    @Parameter
    TestDatabase kind;
    @TempDir
    Path dataDir;
    Cloud cloud;
    String mgmt;
    String web;

    @BeforeEach
    void start() throws Exception {
        cloud = new Cloud(kind, dataDir, "fake_hosts: [{name: host1}]\n");
        mgmt = cloud.network(cloud.alpha, "mgmt", "10.0.0.0/24");
        web = group(cloud.alpha, "web");
    }

    @AfterEach
    void stop() {
        cloud.close();
    }

    @Test
    void groupsNamedAtBootGoOnThePortsComputeMakesAndTheServerShowsThem() {
        String db = group(cloud.alpha, "db");
        Http.Reply reply = boot(cloud.alpha, "vm1", "[{\"name\": \"web\"}, {\"name\": \"" + db + "\"}, {\"name\": \"web\"}]",
                "[{\"uuid\": \"" + mgmt + "\"}]");
        assertThat(reply.status()).as(reply.toString()).isEqualTo(202);
        assertThat(names(reply.json().at("/server/security_groups"))).containsExactly("web", db);
        String id = reply.json().at("/server/id").asText();

        JsonNode server = cloud.settled(cloud.alpha, id);
        assertThat(server.get("status").asText()).isEqualTo("ACTIVE");
        assertThat(names(server.get("security_groups"))).containsExactlyInAnyOrder("web", "db");
        JsonNode port = cloud.network.get("/v2.0/ports?device_id=" + id, cloud.alpha).json().at("/ports/0");
        assertThat(texts(port.get("security_groups"))).containsExactlyInAnyOrder(web, db);
        JsonNode listed = cloud.compute.get("/servers/detail", cloud.alpha).json().at("/servers/0");
        assertThat(names(listed.get("security_groups"))).containsExactlyInAnyOrder("web", "db");
    }

    @Test
    void noGroupOrOnlyDefaultGivesThePortsTheProjectsDefaultGroup() {
        Http.Reply reply = boot(cloud.alpha, "vm1", "[{\"name\": \"default\"}]", "[{\"uuid\": \"" + mgmt + "\"}]");
        assertThat(names(reply.json().at("/server/security_groups"))).containsExactly("default");
        String id = reply.json().at("/server/id").asText();

        assertThat(names(cloud.settled(cloud.alpha, id).get("security_groups"))).containsExactly("default");
        String defaultGroup = cloud.network.get("/v2.0/security-groups?name=default", cloud.alpha).json()
                .at("/security_groups/0/id").asText();
        JsonNode port = cloud.network.get("/v2.0/ports?device_id=" + id, cloud.alpha).json().at("/ports/0");
        assertThat(texts(port.get("security_groups"))).containsExactly(defaultGroup);
    }

    @Test
    void aGroupThatIsNotTheProjectsOrIsAmbiguousIsRefusedBeforeAnyServerExists() {
        String betas = group(cloud.beta, "theirs");
        assertNovaError(boot(cloud.alpha, "vm1", "[{\"name\": \"nope\"}]", "[{\"uuid\": \"" + mgmt + "\"}]"),
                400, "badRequest", "Unable to find security_group with name or id 'nope'");
        assertNovaError(boot(cloud.alpha, "vm1", "[{\"name\": \"" + betas + "\"}]", "[{\"uuid\": \"" + mgmt + "\"}]"),
                400, "badRequest", "Unable to find security_group with name or id '" + betas + "'");
        group(cloud.alpha, "web");
        assertNovaError(boot(cloud.alpha, "vm1", "[{\"name\": \"web\"}]", "[{\"uuid\": \"" + mgmt + "\"}]"),
                409, "conflictingRequest", "Multiple security_group matches found for name 'web'");
        assertNovaError(boot(cloud.alpha, "vm1", "[{\"name\": \"\"}]", "[{\"uuid\": \"" + mgmt + "\"}]"),
                400, "badRequest", "security_groups");
        assertThat(cloud.compute.get("/servers", cloud.alpha).json().get("servers")).isEmpty();
    }

    @Test
    void groupsCannotBeAppliedOnANetworkWithoutPortSecurity() {
        Http.Reply open = cloud.network.post("/v2.0/networks", cloud.alpha,
                "{\"network\": {\"name\": \"open\", \"port_security_enabled\": false}}");
        String network = open.json().at("/network/id").asText();
        cloud.network.post("/v2.0/subnets", cloud.alpha, "{\"subnet\": {\"network_id\": \"" + network
                + "\", \"ip_version\": 4, \"cidr\": \"10.9.0.0/24\"}}");

        String id = boot(cloud.alpha, "vm1", "[{\"name\": \"web\"}]", "[{\"uuid\": \"" + network + "\"}]")
                .json().at("/server/id").asText();

        JsonNode server = cloud.settled(cloud.alpha, id);
        assertThat(server.get("status").asText()).isEqualTo("ERROR");
        assertThat(server.at("/fault/message").asText()).contains("port_security_enabled");
        assertThat(cloud.network.get("/v2.0/ports?network_id=" + network, cloud.alpha).json().get("ports")).isEmpty();
    }

    @Test
    void addAndRemoveSecurityGroupChangeEveryPortOfTheServerUnaddressedOnesToo() {
        String net1 = cloud.network(cloud.alpha, "net1");
        String unaddressed = cloud.port(cloud.alpha, net1, "\"fixed_ips\": []");
        String id = cloud.bootOk(cloud.alpha, "vm1", "[{\"uuid\": \"" + mgmt + "\"}, {\"port\": \"" + unaddressed + "\"}]");
        cloud.settled(cloud.alpha, id);

        assertThat(action(cloud.alpha, id, "{\"addSecurityGroup\": {\"name\": \"web\"}}").status()).isEqualTo(202);
        assertThat(action(cloud.alpha, id, "{\"addSecurityGroup\": {\"name\": \"web\"}}").status())
                .as("adding a group a server has already changes nothing").isEqualTo(202);
        for (JsonNode port : ports(id)) {
            assertThat(texts(port.get("security_groups"))).containsOnlyOnce(web).hasSize(2);
        }
        assertThat(names(cloud.settled(cloud.alpha, id).get("security_groups"))).containsExactlyInAnyOrder("default", "web");

        assertThat(action(cloud.alpha, id, "{\"removeSecurityGroup\": {\"name\": \"default\"}}").status()).isEqualTo(202);
        for (JsonNode port : ports(id)) {
            assertThat(texts(port.get("security_groups"))).containsExactly(web);
        }
        assertNovaError(action(cloud.alpha, id, "{\"removeSecurityGroup\": {\"name\": \"default\"}}"), 404,
                "itemNotFound", "Security group default not associated with the instance " + id);
    }

    @Test
    void addAndRemoveSecurityGroupAnswerAsNovaDoes() {
        String id = cloud.bootOk(cloud.alpha, "vm1", "[{\"uuid\": \"" + mgmt + "\"}]");
        cloud.settled(cloud.alpha, id);
        String alphaProject = cloud.compute.get("/servers/" + id, cloud.alpha).json().at("/server/tenant_id").asText();

        assertNovaError(action(cloud.alpha, id, "{\"addSecurityGroup\": {\"name\": \"nope\"}}"), 404, "itemNotFound",
                "Security group nope is not found for project " + alphaProject);
        assertNovaError(action(cloud.alpha, id, "{\"addSecurityGroup\": {}}"), 400, "badRequest",
                "Security group not specified");
        assertNovaError(action(cloud.alpha, id, "{\"addSecurityGroup\": {\"name\": \" \"}}"), 400, "badRequest",
                "Security group name cannot be empty");
        assertNovaError(action(cloud.alpha, id, "{\"removeSecurityGroup\": \"web\"}"), 400, "badRequest",
                "Missing parameter dict");
        assertNovaError(action(cloud.beta, id, "{\"addSecurityGroup\": {\"name\": \"web\"}}"), 404, "itemNotFound",
                "Instance " + id + " could not be found.");

        String bare = cloud.bootOk(cloud.alpha, "bare", "[]");
        cloud.settled(cloud.alpha, bare);
        assertNovaError(action(cloud.alpha, bare, "{\"addSecurityGroup\": {\"name\": \"web\"}}"), 404, "itemNotFound",
                "could not be found as device id on any ports");
    }

    @Test
    void aPortWithoutPortSecurityRefusesAGroupAndNoPortOfTheServerChanges() {
        String open = cloud.network(cloud.alpha, "open");
        String insecure = cloud.port(cloud.alpha, open, "\"fixed_ips\": [], \"port_security_enabled\": false");
        String id = cloud.bootOk(cloud.alpha, "vm1", "[{\"uuid\": \"" + mgmt + "\"}, {\"port\": \"" + insecure + "\"}]");
        cloud.settled(cloud.alpha, id);

        assertNovaError(action(cloud.alpha, id, "{\"addSecurityGroup\": {\"name\": \"web\"}}"), 400, "badRequest",
                "Network requires port_security_enabled");
        for (JsonNode port : ports(id)) {
            assertThat(texts(port.get("security_groups"))).doesNotContain(web);
        }
    }

    @Test
    void novasSecurityGroupProxyShowsTheProjectsGroupsInNovasFormatUpTo235() {
        cloud.network.post("/v2.0/security-group-rules", cloud.alpha, """
                {"security_group_rule": {"security_group_id": "%s", "direction": "ingress", "protocol": "tcp",
                 "port_range_min": 22, "port_range_max": 22, "remote_ip_prefix": "192.0.2.0/24"}}""".formatted(web));
        cloud.network.post("/v2.0/security-group-rules", cloud.alpha, """
                {"security_group_rule": {"security_group_id": "%s", "direction": "ingress", "protocol": "icmp",
                 "remote_group_id": "%s"}}""".formatted(web, web));
        group(cloud.beta, "theirs");

        JsonNode listed = cloud.compute.get("/os-security-groups", cloud.alpha).json().get("security_groups");
        assertThat(names(listed)).containsExactly("default", "web");
        JsonNode shown = cloud.compute.get("/os-security-groups/" + web, cloud.alpha).json().get("security_group");
        assertThat(shown.get("tenant_id").asText()).isEqualTo(listed.get(0).get("tenant_id").asText());
        assertThat(shown.get("rules")).as("ingress rules only; a new group has egress rules alone").hasSize(2);
        JsonNode ssh = shown.get("rules").get(0).get("ip_protocol").asText().equals("tcp")
                ? shown.get("rules").get(0) : shown.get("rules").get(1);
        assertThat(ssh.get("from_port").asInt()).isEqualTo(22);
        assertThat(ssh.get("to_port").asInt()).isEqualTo(22);
        assertThat(ssh.at("/ip_range/cidr").asText()).isEqualTo("192.0.2.0/24");
        assertThat(ssh.get("parent_group_id").asText()).isEqualTo(web);
        JsonNode icmp = shown.get("rules").get(0) == ssh ? shown.get("rules").get(1) : shown.get("rules").get(0);
        assertThat(icmp.get("from_port").asInt()).isEqualTo(-1);
        assertThat(icmp.at("/group/name").asText()).isEqualTo("web");

        assertNovaError(cloud.compute.get("/os-security-groups/web", cloud.alpha), 400, "badRequest",
                "Security group id should be uuid");
        String missing = java.util.UUID.randomUUID().toString();
        assertNovaError(cloud.compute.get("/os-security-groups/" + missing, cloud.alpha), 404, "itemNotFound",
                "Security group " + missing + " not found.");
        assertThat(cloud.compute.send("GET", "/os-security-groups", cloud.alpha, null,
                java.util.Map.of("OpenStack-API-Version", "compute 2.36")).status())
                .as("Nova serves its proxies up to 2.35").isEqualTo(404);

        String id = boot(cloud.alpha, "vm1", "[{\"name\": \"web\"}]", "[{\"uuid\": \"" + mgmt + "\"}]")
                .json().at("/server/id").asText();
        cloud.settled(cloud.alpha, id);
        JsonNode ofServer = cloud.compute.get("/servers/" + id + "/os-security-groups", cloud.alpha).json()
                .get("security_groups");
        assertThat(names(ofServer)).containsExactly("web");
        assertThat(cloud.compute.get("/servers/" + id + "/os-security-groups", cloud.beta).status()).isEqualTo(404);
    }

    @Test
    void groupsAndIngressRulesAreMadeChangedAndRemovedThroughNovasProxyWithNovasChecks() {
        Http.Reply created = cloud.compute.post("/os-security-groups", cloud.alpha,
                "{\"security_group\": {\"name\": \"edge\", \"description\": \"edge routers\"}}");
        assertThat(created.status()).as(created.toString()).isEqualTo(200);
        String edge = created.json().at("/security_group/id").asText();
        assertThat(created.json().at("/security_group/rules")).as("Neutron's default egress rules are not shown").isEmpty();
        assertThat(cloud.network.get("/v2.0/security-groups/" + edge, cloud.alpha).json()
                .at("/security_group/description").asText()).isEqualTo("edge routers");

        Http.Reply ssh = rule("{\"parent_group_id\": \"" + edge + "\", \"ip_protocol\": \"tcp\", \"from_port\": 22,"
                + " \"to_port\": 22, \"cidr\": \"192.0.2.77/24\"}");
        assertThat(ssh.status()).as(ssh.toString()).isEqualTo(200);
        assertThat(ssh.json().at("/security_group_rule/ip_range/cidr").asText()).as("kept as given, as Neutron keeps it")
                .isEqualTo("192.0.2.77/24");
        JsonNode neutron = cloud.network.get("/v2.0/security-group-rules/" + ssh.json().at("/security_group_rule/id")
                .asText(), cloud.alpha).json().get("security_group_rule");
        assertThat(neutron.get("direction").asText()).isEqualTo("ingress");
        assertThat(neutron.get("port_range_min").asInt()).isEqualTo(22);
        Http.Reply fromGroup = rule("{\"parent_group_id\": \"" + edge + "\", \"ip_protocol\": \"icmp\", \"group_id\": \""
                + web + "\"}");
        assertThat(fromGroup.json().at("/security_group_rule/group/name").asText()).isEqualTo("web");
        assertThat(fromGroup.json().at("/security_group_rule/from_port").asInt()).isEqualTo(-1);

        assertNovaError(rule("{\"parent_group_id\": \"" + edge + "\", \"ip_protocol\": \"tcp\", \"from_port\": 22,"
                + " \"to_port\": 22, \"cidr\": \"192.0.2.77/24\"}"), 400, "badRequest", "This rule already exists in group");
        assertNovaError(rule("{\"parent_group_id\": \"" + edge + "\", \"ip_protocol\": \"tcp\", \"from_port\": 80,"
                + " \"to_port\": 22}"), 400, "badRequest", "Former value cannot be greater than the later");
        assertNovaError(rule("{\"parent_group_id\": \"" + edge + "\", \"ip_protocol\": \"tcp\", \"from_port\": 0,"
                + " \"to_port\": 22}"), 400, "badRequest", "Valid TCP ports should be between 1-65535");
        assertNovaError(rule("{\"parent_group_id\": \"" + edge + "\", \"ip_protocol\": \"gre\", \"from_port\": 1,"
                + " \"to_port\": 2}"), 400, "badRequest", "Invalid IP protocol gre.");
        assertNovaError(rule("{\"parent_group_id\": \"" + edge + "\", \"ip_protocol\": \"icmp\", \"from_port\": 300,"
                + " \"to_port\": 0}"), 400, "badRequest", "For ICMP, the type:code must be valid");
        assertNovaError(rule("{\"parent_group_id\": \"" + edge + "\", \"ip_protocol\": \"tcp\", \"from_port\": \"a\","
                + " \"to_port\": 22}"), 400, "badRequest", "To and From ports must be integers");
        String missing = java.util.UUID.randomUUID().toString();
        assertNovaError(rule("{\"parent_group_id\": \"" + missing + "\", \"ip_protocol\": \"tcp\", \"from_port\": 1,"
                + " \"to_port\": 2}"), 404, "itemNotFound", "Security group " + missing + " not found.");

        Http.Reply renamed = cloud.compute.send("PUT", "/os-security-groups/" + edge, cloud.alpha,
                "{\"security_group\": {\"name\": \"edge-2\", \"description\": \"d\"}}");
        assertThat(renamed.json().at("/security_group/name").asText()).isEqualTo("edge-2");
        assertThat(renamed.json().at("/security_group/rules")).hasSize(2);
        assertNovaError(cloud.compute.send("PUT", "/os-security-groups/" + missing, cloud.alpha,
                "{\"security_group\": {\"name\": \"x\", \"description\": \"d\"}}"), 404, "itemNotFound", "not found");

        String ruleId = ssh.json().at("/security_group_rule/id").asText();
        assertThat(cloud.compute.send("DELETE", "/os-security-group-rules/" + ruleId, cloud.alpha, null).status())
                .isEqualTo(202);
        assertThat(cloud.compute.send("DELETE", "/os-security-group-rules/" + ruleId, cloud.alpha, null).status())
                .isEqualTo(404);
        String defaultGroup = cloud.network.get("/v2.0/security-groups?name=default", cloud.alpha).json()
                .at("/security_groups/0/id").asText();
        assertNovaError(cloud.compute.send("DELETE", "/os-security-groups/" + defaultGroup, cloud.alpha, null), 400,
                "badRequest", "default");
        assertThat(cloud.compute.send("DELETE", "/os-security-groups/" + edge, cloud.alpha, null).status()).isEqualTo(202);
        assertThat(cloud.network.get("/v2.0/security-groups/" + edge, cloud.alpha).status()).isEqualTo(404);
        assertNovaError(cloud.compute.send("DELETE", "/os-security-groups/" + edge, cloud.alpha, null), 404,
                "itemNotFound", "not found");
    }

    private Http.Reply rule(String rule) {
        return cloud.compute.post("/os-security-group-rules", cloud.alpha, "{\"security_group_rule\": " + rule + "}");
    }

    private List<JsonNode> ports(String serverId) {
        List<JsonNode> ports = new ArrayList<>();
        cloud.network.get("/v2.0/ports?device_id=" + serverId, cloud.alpha).json().get("ports").forEach(ports::add);
        assertThat(ports).isNotEmpty();
        return ports;
    }

    private String group(String token, String name) {
        Http.Reply reply = cloud.network.post("/v2.0/security-groups", token,
                "{\"security_group\": {\"name\": \"" + name + "\"}}");
        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        return reply.json().at("/security_group/id").asText();
    }

    private Http.Reply boot(String token, String name, String groups, String networks) {
        return cloud.compute.post("/servers", token, """
                {"server": {"name": "%s", "imageRef": "%s", "flavorRef": "1", "networks": %s, "security_groups": %s}}"""
                .formatted(name, cloud.defaultImage, networks, groups));
    }

    private Http.Reply action(String token, String serverId, String body) {
        return cloud.compute.post("/servers/" + serverId + "/action", token, body);
    }

    private static List<String> names(JsonNode groups) {
        List<String> names = new ArrayList<>();
        groups.forEach(g -> names.add(g.get("name").asText()));
        return names;
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(t -> texts.add(t.asText()));
        return texts;
    }
}
