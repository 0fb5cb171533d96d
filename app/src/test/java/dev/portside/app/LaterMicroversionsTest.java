package dev.portside.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portside.common.testing.Http;
import dev.portside.common.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.portside.app.Cloud.assertNovaError;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The compute API's changes from 2.47 to 2.79 on what Portside serves: each answers as Nova does at
 * its microversion and as before below it.
 */
class LaterMicroversionsTest {
    @TempDir
    Path dataDir;
    Cloud cloud;
    String net;

    static List<TestDatabase> databases() {
        return TestDatabase.configured();
    }

    void start(TestDatabase database) throws Exception {
        cloud = new Cloud(database, dataDir, "fake_hosts: [{name: host1}, {name: host2}]\n");
        net = cloud.network(cloud.alpha, "net", "10.67.0.0/24");
    }

    @AfterEach
    void stop() {
        if (cloud != null) {
            cloud.close();
        }
    }

    private Http.Reply at(String version, String method, String path, String token, String body) {
        return cloud.compute.send(method, path, token, body, Map.of("OpenStack-API-Version", "compute " + version));
    }

    private String boot(String version, String name, String extra) {
        Http.Reply reply = at(version, "POST", "/servers", cloud.alpha, """
                {"server": {"name": "%s", "imageRef": "%s", "flavorRef": "1", "networks": [{"uuid": "%s"}]%s}}"""
                .formatted(name, cloud.defaultImage, net, extra));
        assertThat(reply.status()).as(reply.toString()).isEqualTo(202);
        String id = reply.json().at("/server/id").asText();
        cloud.settled(cloud.alpha, id);
        return id;
    }

    private JsonNode show(String version, String id) {
        Http.Reply reply = at(version, "GET", "/servers/" + id, cloud.alpha, null);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return reply.json().get("server");
    }

    @ParameterizedTest
    @MethodSource("databases")
    void from247AServerShowsItsOwnCopyOfItsFlavorWhichOutlivesTheFlavor(TestDatabase database) throws Exception {
        start(database);
        Http.Reply made = cloud.compute.post("/flavors", cloud.admin, """
                {"flavor": {"name": "eph", "id": "eph", "ram": 256, "vcpus": 2, "disk": 1,
                 "OS-FLV-EXT-DATA:ephemeral": 1, "swap": 64}}""");
        assertThat(made.status()).as(made.toString()).isEqualTo(200);
        Http.Reply reply = at("2.47", "POST", "/servers", cloud.alpha, """
                {"server": {"name": "f", "imageRef": "%s", "flavorRef": "eph", "networks": [{"uuid": "%s"}]}}"""
                .formatted(cloud.defaultImage, net));
        assertThat(reply.status()).as(reply.toString()).isEqualTo(202);
        String id = reply.json().at("/server/id").asText();
        cloud.settled(cloud.alpha, id);

        assertThat(show("2.46", id).at("/flavor/id").asText()).isEqualTo("eph");
        assertThat(cloud.compute.send("DELETE", "/flavors/eph", cloud.admin, null).status()).isEqualTo(202);
        JsonNode flavor = show("2.47", id).get("flavor");
        assertThat(flavor.has("id")).isFalse();
        assertThat(flavor.get("original_name").asText()).isEqualTo("eph");
        assertThat(flavor.get("vcpus").asInt()).isEqualTo(2);
        assertThat(flavor.get("ram").asInt()).isEqualTo(256);
        assertThat(flavor.get("disk").asInt()).isEqualTo(1);
        assertThat(flavor.get("ephemeral").asInt()).isEqualTo(1);
        assertThat(flavor.get("swap").asInt()).isEqualTo(64);
        assertThat(flavor.get("extra_specs").isObject()).isTrue();
    }

    @ParameterizedTest
    @MethodSource("databases")
    void tagsHostsAndCertificatesOnCreateComeWithTheirMicroversions(TestDatabase database) throws Exception {
        start(database);
        String tagged = ", \"tags\": [\"web\", \"blue\"]";
        assertNovaError(at("2.51", "POST", "/servers", cloud.alpha, """
                {"server": {"name": "t", "imageRef": "%s", "flavorRef": "1", "networks": [{"uuid": "%s"}]%s}}"""
                .formatted(cloud.defaultImage, net, tagged)), 400, "badRequest", "tags");
        String id = boot("2.52", "t", tagged);
        assertThat(show("2.52", id).get("tags").toString()).contains("web").contains("blue");

        String personality = ", \"personality\": [{\"path\": \"/etc/motd\", \"contents\": \"aGk=\"}]";
        assertNovaError(at("2.56", "POST", "/servers", cloud.alpha, """
                {"server": {"name": "p", "imageRef": "%s", "flavorRef": "1", "networks": [{"uuid": "%s"}]%s}}"""
                .formatted(cloud.defaultImage, net, personality)), 400, "badRequest", "Personality files are not supported");
        assertNovaError(at("2.57", "POST", "/servers", cloud.alpha, """
                {"server": {"name": "p", "imageRef": "%s", "flavorRef": "1", "networks": [{"uuid": "%s"}]%s}}"""
                .formatted(cloud.defaultImage, net, personality)), 400, "badRequest", "personality");

        String certs = ", \"trusted_image_certificates\": [\"cert-1\"]";
        assertNovaError(at("2.63", "POST", "/servers", cloud.alpha, """
                {"server": {"name": "c", "imageRef": "%s", "flavorRef": "1", "networks": [{"uuid": "%s"}]%s}}"""
                .formatted(cloud.defaultImage, net, certs)), 400, "badRequest", "verifies no image signatures");
        assertThat(show("2.63", id).get("trusted_image_certificates").isNull()).isTrue();
        assertThat(show("2.62", id).has("trusted_image_certificates")).isFalse();

        String host = """
                {"server": {"name": "h", "imageRef": "%s", "flavorRef": "1", "networks": [{"uuid": "%s"}],
                 "host": "host2"}}""".formatted(cloud.defaultImage, net);
        assertNovaError(at("2.74", "POST", "/servers", cloud.alpha, host), 403, "forbidden", "");
        Http.Reply placed = cloud.compute.send("POST", "/servers", cloud.admin, host.replace(net,
                cloud.network(cloud.admin, "admin-net", "10.68.0.0/24")), Map.of("OpenStack-API-Version", "compute 2.74"));
        assertThat(placed.status()).as(placed.toString()).isEqualTo(202);
        String onHost2 = placed.json().at("/server/id").asText();
        assertThat(cloud.settled(cloud.admin, onHost2).get("OS-EXT-SRV-ATTR:host").asText()).isEqualTo("host2");
        assertNovaError(cloud.compute.send("POST", "/servers", cloud.admin, host.replace("host2", "nowhere"),
                Map.of("OpenStack-API-Version", "compute 2.74")), 400, "badRequest", "nowhere could not be found");
    }

    @ParameterizedTest
    @MethodSource("databases")
    void rebuildTakesAKeyPairFrom254AndUserDataFrom257(TestDatabase database) throws Exception {
        start(database);
        Http.Reply key = cloud.compute.post("/os-keypairs", cloud.alpha, "{\"keypair\": {\"name\": \"k2\"}}");
        assertThat(key.status()).as(key.toString()).isEqualTo(200);
        String id = boot("2.54", "r", "");
        String rebuild = "{\"rebuild\": {\"imageRef\": \"" + cloud.defaultImage + "\", \"key_name\": \"k2\"}}";
        assertNovaError(at("2.53", "POST", "/servers/" + id + "/action", cloud.alpha, rebuild), 400, "badRequest",
                "key_name");
        Http.Reply rebuilt = at("2.54", "POST", "/servers/" + id + "/action", cloud.alpha, rebuild);
        assertThat(rebuilt.status()).as(rebuilt.toString()).isEqualTo(202);
        assertThat(rebuilt.json().at("/server/key_name").asText()).isEqualTo("k2");
        cloud.settled(cloud.alpha, id);
        assertNovaError(at("2.54", "POST", "/servers/" + id + "/action", cloud.alpha,
                rebuild.replace("k2", "no-such-key")), 400, "badRequest", "Invalid key_name");

        String userData = "{\"rebuild\": {\"imageRef\": \"" + cloud.defaultImage + "\", \"user_data\": \"aGVsbG8=\"}}";
        assertNovaError(at("2.56", "POST", "/servers/" + id + "/action", cloud.alpha, userData), 400, "badRequest",
                "user_data");
        Http.Reply withData = at("2.57", "POST", "/servers/" + id + "/action", cloud.alpha, userData);
        assertThat(withData.status()).as(withData.toString()).isEqualTo(202);
        assertThat(withData.json().at("/server/user_data").asText()).isEqualTo("aGVsbG8=");
        cloud.settled(cloud.alpha, id);
        assertThat(cloud.compute.send("GET", "/servers/" + id, cloud.admin, null,
                        Map.of("OpenStack-API-Version", "compute 2.57")).json().at("/server/OS-EXT-SRV-ATTR:user_data")
                .asText()).isEqualTo("aGVsbG8=");
        Http.Reply cleared = at("2.57", "POST", "/servers/" + id + "/action", cloud.alpha,
                "{\"rebuild\": {\"imageRef\": \"" + cloud.defaultImage + "\", \"key_name\": null}}");
        assertThat(cleared.json().at("/server/key_name").isNull()).as(cleared.toString()).isTrue();
    }

    @ParameterizedTest
    @MethodSource("databases")
    void flavorsGainADescriptionExtraSpecsAndANumericSwap(TestDatabase database) throws Exception {
        start(database);
        JsonNode tiny = at("2.54", "GET", "/flavors/1", cloud.alpha, null).json().get("flavor");
        assertThat(tiny.has("description")).isFalse();
        assertThat(tiny.get("swap").asText()).isEmpty();
        assertThat(at("2.54", "PUT", "/flavors/1", cloud.admin, "{\"flavor\": {\"description\": \"x\"}}").status())
                .isEqualTo(404);
        Http.Reply described = at("2.55", "PUT", "/flavors/1", cloud.admin, "{\"flavor\": {\"description\": \"small\"}}");
        assertThat(described.status()).as(described.toString()).isEqualTo(200);
        assertThat(described.json().at("/flavor/description").asText()).isEqualTo("small");
        assertThat(at("2.55", "GET", "/flavors", cloud.alpha, null).json().at("/flavors/0/description").asText())
                .isEqualTo("small");
        assertThat(at("2.55", "PUT", "/flavors/1", cloud.alpha, "{\"flavor\": {\"description\": \"x\"}}").status())
                .isEqualTo(403);
        assertNovaError(at("2.55", "PUT", "/flavors/1", cloud.admin, "{\"flavor\": {}}"), 400, "badRequest",
                "'description' is a required property");
        assertThat(at("2.60", "GET", "/flavors/1", cloud.alpha, null).json().at("/flavor").has("extra_specs")).isFalse();
        assertThat(at("2.61", "GET", "/flavors/1", cloud.alpha, null).json().at("/flavor/extra_specs").isObject()).isTrue();
        JsonNode numeric = at("2.75", "GET", "/flavors/1", cloud.alpha, null).json().get("flavor");
        assertThat(numeric.get("swap").isInt()).isTrue();
        assertThat(numeric.get("swap").asInt()).isZero();
    }

    @ParameterizedTest
    @MethodSource("databases")
    void serverGroupsTakeOnePolicyAndAMaxServerPerHostRuleFrom264(TestDatabase database) throws Exception {
        start(database);
        assertNovaError(at("2.64", "POST", "/os-server-groups", cloud.alpha,
                "{\"server_group\": {\"name\": \"g\", \"policies\": [\"anti-affinity\"]}}"), 400, "badRequest", "policies");
        assertNovaError(at("2.64", "POST", "/os-server-groups", cloud.alpha,
                "{\"server_group\": {\"name\": \"g\", \"policy\": \"affinity\", \"rules\": {\"max_server_per_host\": 2}}}"),
                400, "badRequest", "Only anti-affinity");
        Http.Reply made = at("2.64", "POST", "/os-server-groups", cloud.alpha,
                "{\"server_group\": {\"name\": \"g\", \"policy\": \"anti-affinity\", \"rules\": {\"max_server_per_host\": 2}}}");
        assertThat(made.status()).as(made.toString()).isEqualTo(200);
        JsonNode group = made.json().get("server_group");
        assertThat(group.get("policy").asText()).isEqualTo("anti-affinity");
        assertThat(group.at("/rules/max_server_per_host").asInt()).isEqualTo(2);
        assertThat(group.has("policies")).isFalse();
        assertThat(group.has("metadata")).isFalse();
        String groupId = group.get("id").asText();
        JsonNode old = at("2.63", "GET", "/os-server-groups/" + groupId, cloud.alpha, null).json().get("server_group");
        assertThat(old.get("policies").toString()).isEqualTo("[\"anti-affinity\"]");

        // Two hosts, two members each at most: four servers fit, the fifth finds no host.
        List<String> hosts = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Http.Reply reply = at("2.64", "POST", "/servers", cloud.alpha, """
                    {"server": {"name": "m%d", "imageRef": "%s", "flavorRef": "1", "networks": [{"uuid": "%s"}]},
                     "os:scheduler_hints": {"group": "%s"}}""".formatted(i, cloud.defaultImage, net, groupId));
            assertThat(reply.status()).as(reply.toString()).isEqualTo(202);
            JsonNode server = cloud.settled(cloud.alpha, reply.json().at("/server/id").asText());
            hosts.add(server.get("status").asText().equals("ACTIVE")
                    ? cloud.compute.get("/servers/" + server.get("id").asText(), cloud.admin).json()
                    .at("/server/OS-EXT-SRV-ATTR:host").asText() : server.get("status").asText());
        }
        assertThat(hosts.subList(0, 4)).containsExactlyInAnyOrder("host1", "host1", "host2", "host2");
        assertThat(hosts.get(4)).isEqualTo("ERROR");
        JsonNode shown = show("2.71", cloud.compute.get("/servers?name=m0", cloud.alpha).json().at("/servers/0/id").asText());
        assertThat(shown.get("server_groups").toString()).isEqualTo("[\"" + groupId + "\"]");
        assertThat(at("2.71", "GET", "/servers/detail", cloud.alpha, null).json().at("/servers/0").has("server_groups"))
                .isFalse();
    }

    @ParameterizedTest
    @MethodSource("databases")
    void locksCarryAReasonAndServersAreFilteredByLockAndChangesBefore(TestDatabase database) throws Exception {
        start(database);
        String locked = boot("2.73", "locked", "");
        String free = boot("2.73", "free", "");
        assertThat(at("2.73", "POST", "/servers/" + locked + "/action", cloud.alpha,
                "{\"lock\": {\"locked_reason\": \"maintenance\"}}").status()).isEqualTo(202);
        assertThat(show("2.73", locked).get("locked_reason").asText()).isEqualTo("maintenance");
        assertThat(show("2.73", free).get("locked_reason").isNull()).isTrue();
        assertThat(show("2.72", locked).has("locked_reason")).isFalse();
        assertNovaError(at("2.73", "POST", "/servers/" + free + "/action", cloud.alpha,
                "{\"lock\": {\"reason\": \"x\"}}"), 400, "badRequest", "locked_reason");

        JsonNode onlyLocked = at("2.73", "GET", "/servers?locked=true", cloud.alpha, null).json().get("servers");
        assertThat(onlyLocked).hasSize(1);
        assertThat(onlyLocked.at("/0/id").asText()).isEqualTo(locked);
        assertThat(at("2.73", "GET", "/servers?locked=false", cloud.alpha, null).json().at("/servers/0/id").asText())
                .isEqualTo(free);
        assertNovaError(at("2.73", "GET", "/servers?locked=maybe", cloud.alpha, null), 400, "badRequest",
                "Unrecognized value 'maybe'");

        assertThat(at("2.66", "GET", "/servers?changes-before=2000-01-01T00:00:00Z", cloud.alpha, null).json()
                .get("servers")).isEmpty();
        assertThat(at("2.65", "GET", "/servers?changes-before=2000-01-01T00:00:00Z", cloud.alpha, null).json()
                .get("servers")).hasSize(2);
        assertThat(at("2.66", "GET", "/servers?changes-before=2999-01-01T00:00:00Z", cloud.alpha, null).json()
                .get("servers")).hasSize(2);
        assertNovaError(at("2.66", "GET", "/servers?changes-since=2999-01-01T00:00:00Z&changes-before=2000-01-01T00:00:00Z",
                cloud.alpha, null), 400, "badRequest", "changes-since must be less than or equal to changes-before");

        assertThat(at("2.74", "GET", "/servers?no_such_filter=1", cloud.alpha, null).status()).isEqualTo(200);
        assertNovaError(at("2.75", "GET", "/servers?no_such_filter=1", cloud.alpha, null), 400, "badRequest",
                "'no_such_filter' was unexpected");
    }

    @ParameterizedTest
    @MethodSource("databases")
    void interfacesCarryDeviceTagsFrom249AndShowThemFrom270(TestDatabase database) throws Exception {
        start(database);
        String id = boot("2.49", "i", "");
        String body = "{\"interfaceAttachment\": {\"net_id\": \"" + net + "\", \"tag\": \"uplink\"}}";
        assertNovaError(at("2.48", "POST", "/servers/" + id + "/os-interface", cloud.alpha, body), 400, "badRequest", "tag");
        Http.Reply attached = at("2.49", "POST", "/servers/" + id + "/os-interface", cloud.alpha, body);
        assertThat(attached.status()).as(attached.toString()).isEqualTo(200);
        assertThat(attached.json().at("/interfaceAttachment").has("tag")).isFalse();
        String port = attached.json().at("/interfaceAttachment/port_id").asText();
        JsonNode shown = at("2.70", "GET", "/servers/" + id + "/os-interface/" + port, cloud.alpha, null).json();
        assertThat(shown.at("/interfaceAttachment/tag").asText()).isEqualTo("uplink");
        JsonNode listed = at("2.70", "GET", "/servers/" + id + "/os-interface", cloud.alpha, null).json()
                .get("interfaceAttachments");
        assertThat(listed).hasSize(2);
        assertThat(listed.at("/0/tag").isNull()).isTrue();

        // Without a port or a network the project's own network is taken, as Nova's attach does.
        Http.Reply auto = at("2.70", "POST", "/servers/" + id + "/os-interface", cloud.alpha, "{\"interfaceAttachment\": {}}");
        assertThat(auto.status()).as(auto.toString()).isEqualTo(200);
        assertThat(auto.json().at("/interfaceAttachment/net_id").asText()).isEqualTo(net);
        assertThat(auto.json().at("/interfaceAttachment/tag").isNull()).isTrue();
    }

    @ParameterizedTest
    @MethodSource("databases")
    void instanceActionsArePagedAndFilteredFrom258(TestDatabase database) throws Exception {
        start(database);
        String id = boot("2.58", "a", "");
        for (String action : List.of("{\"lock\": null}", "{\"unlock\": null}")) {
            assertThat(at("2.58", "POST", "/servers/" + id + "/action", cloud.alpha, action).status()).isEqualTo(202);
        }
        String path = "/servers/" + id + "/os-instance-actions";
        assertThat(at("2.57", "GET", path + "?limit=1", cloud.alpha, null).json().get("instanceActions")).hasSize(3);
        JsonNode first = at("2.58", "GET", path + "?limit=1", cloud.alpha, null).json();
        assertThat(first.get("instanceActions")).hasSize(1);
        assertThat(first.at("/links/0/rel").asText()).isEqualTo("next");
        String marker = first.at("/instanceActions/0/request_id").asText();
        JsonNode rest = at("2.58", "GET", path + "?marker=" + marker, cloud.alpha, null).json().get("instanceActions");
        assertThat(rest).hasSize(2);
        assertThat(rest.toString()).doesNotContain(marker);
        assertNovaError(at("2.58", "GET", path + "?marker=nonsense", cloud.alpha, null), 400, "badRequest",
                "Marker nonsense could not be found");
        assertThat(at("2.58", "GET", path + "?changes-since=2999-01-01T00:00:00Z", cloud.alpha, null).json()
                .get("instanceActions")).isEmpty();
        assertThat(at("2.66", "GET", path + "?changes-before=2000-01-01T00:00:00Z", cloud.alpha, null).json()
                .get("instanceActions")).isEmpty();
        assertThat(at("2.65", "GET", path + "?changes-before=2000-01-01T00:00:00Z", cloud.alpha, null).json()
                .get("instanceActions")).hasSize(3);
    }

    @ParameterizedTest
    @MethodSource("databases")
    void servicesAndHypervisorsAreKnownByUuidFrom253(TestDatabase database) throws Exception {
        start(database);
        String id = boot("2.53", "h", "");
        JsonNode services = at("2.53", "GET", "/os-services", cloud.admin, null).json().get("services");
        String serviceId = services.at("/0/id").asText();
        assertThat(serviceId).matches("[0-9a-f-]{36}");
        assertThat(at("2.52", "GET", "/os-services", cloud.admin, null).json().at("/services/0/id").isInt()).isTrue();

        Http.Reply down = at("2.53", "PUT", "/os-services/" + serviceId, cloud.admin, "{\"forced_down\": true}");
        assertThat(down.status()).as(down.toString()).isEqualTo(200);
        assertThat(down.json().at("/service/state").asText()).isEqualTo("down");
        assertThat(down.json().at("/service/forced_down").asBoolean()).isTrue();
        assertNovaError(at("2.53", "PUT", "/os-services/" + serviceId, cloud.admin,
                "{\"status\": \"enabled\", \"disabled_reason\": \"x\"}"), 400, "badRequest", "disabled_reason");
        Http.Reply disabled = at("2.53", "PUT", "/os-services/" + serviceId, cloud.admin,
                "{\"status\": \"disabled\", \"disabled_reason\": \"maintenance\", \"forced_down\": false}");
        assertThat(disabled.json().at("/service/status").asText()).isEqualTo("disabled");
        assertThat(disabled.json().at("/service/disabled_reason").asText()).isEqualTo("maintenance");
        assertThat(disabled.json().at("/service/state").asText()).isEqualTo("up");
        assertNovaError(at("2.53", "PUT", "/os-services/" + java.util.UUID.randomUUID(), cloud.admin,
                "{\"status\": \"enabled\"}"), 404, "itemNotFound", "could not be found");

        JsonNode hypervisors = at("2.53", "GET", "/os-hypervisors?with_servers=true", cloud.admin, null).json()
                .get("hypervisors");
        assertThat(hypervisors.toString()).contains(id);
        String node = hypervisors.at("/0/id").asText();
        assertThat(at("2.53", "GET", "/os-hypervisors/" + node, cloud.admin, null).status()).isEqualTo(200);
        assertThat(at("2.53", "GET", "/os-hypervisors?hypervisor_hostname_pattern=host2", cloud.admin, null).json()
                .get("hypervisors")).hasSize(1);
        assertNovaError(at("2.53", "GET", "/os-hypervisors?hypervisor_hostname_pattern=nohost", cloud.admin, null), 404,
                "itemNotFound", "nohost");
        long withServersKey = 0;
        for (JsonNode h : at("2.75", "GET", "/os-hypervisors?with_servers=true", cloud.admin, null).json()
                .get("hypervisors")) {
            withServersKey += h.has("servers") ? 1 : 0;
        }
        assertThat(withServersKey).isEqualTo(2);
    }

    @ParameterizedTest
    @MethodSource("databases")
    void limitsAndQuotasLoseFileInjectionAt257AndTheTopologyIsServedAt278(TestDatabase database) throws Exception {
        start(database);
        assertThat(at("2.56", "GET", "/limits", cloud.alpha, null).json().at("/limits/absolute").has("maxPersonality"))
                .isTrue();
        assertThat(at("2.57", "GET", "/limits", cloud.alpha, null).json().at("/limits/absolute").has("maxPersonality"))
                .isFalse();
        String project = cloud.identity.get("/v3/projects?name=alpha", cloud.admin).json()
                .at("/projects/0/id").asText();
        assertThat(at("2.56", "GET", "/os-quota-sets/" + project, cloud.alpha, null).json().at("/quota_set")
                .has("injected_files")).isTrue();
        assertThat(at("2.57", "GET", "/os-quota-sets/" + project, cloud.alpha, null).json().at("/quota_set")
                .has("injected_files")).isFalse();

        String id = boot("2.78", "n", "");
        assertThat(at("2.77", "GET", "/servers/" + id + "/topology", cloud.alpha, null).status()).isEqualTo(404);
        JsonNode topology = at("2.78", "GET", "/servers/" + id + "/topology", cloud.alpha, null).json();
        assertThat(topology.get("nodes")).isEmpty();
        assertThat(topology.get("pagesize_kb").isNull()).isTrue();

        assertNovaError(at("2.75", "POST", "/os-server-external-events", cloud.admin,
                "{\"events\": [{\"name\": \"power-update\", \"server_uuid\": \"" + id + "\", \"tag\": \"POWER_ON\"}]}"),
                400, "badRequest", "power-update");
        assertThat(at("2.76", "POST", "/os-server-external-events", cloud.admin,
                "{\"events\": [{\"name\": \"power-update\", \"server_uuid\": \"" + id + "\", \"tag\": \"POWER_ON\"}]}")
                .status()).isEqualTo(200);
        assertNovaError(at("2.76", "POST", "/os-server-external-events", cloud.admin,
                "{\"events\": [{\"name\": \"power-update\", \"server_uuid\": \"" + id + "\", \"tag\": \"ON\"}]}"),
                400, "badRequest", "POWER_ON or POWER_OFF");
    }
}
