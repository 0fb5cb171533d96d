package dev.portside.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portside.common.testing.Http;
import dev.portside.common.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.portside.app.Cloud.assertNovaError;
import static org.assertj.core.api.Assertions.assertThat;

/** The compute API around servers: versions and microversions, flavors, key pairs, services, hypervisors, events. */
class ComputeApiTest {
    @TempDir
    Path dataDir;
    Cloud cloud;

    @BeforeEach
    void start() throws Exception {
        cloud = new Cloud(TestDatabase.configured().getFirst(), dataDir, "fake_hosts: [{name: host1}, {name: host2}]\n");
    }

    @AfterEach
    void stop() {
        cloud.close();
    }

    private Http.Reply at(String version, String method, String path, String token, String body) {
        return cloud.compute.send(method, path, token, body, Map.of("OpenStack-API-Version", "compute " + version));
    }

    @Test
    void microversionsAreNegotiatedEchoedAndBounded() {
        Http.Reply plain = cloud.compute.get("/flavors", cloud.alpha);
        assertThat(plain.header("OpenStack-API-Version")).contains("compute 2.1");
        assertThat(plain.header("X-OpenStack-Nova-API-Version")).contains("2.1");

        Http.Reply latest = at("latest", "GET", "/flavors", cloud.alpha, null);
        assertThat(latest.header("OpenStack-API-Version")).contains("compute 2.79");
        Http.Reply legacy = cloud.compute.send("GET", "/flavors", cloud.alpha, null,
                Map.of("X-OpenStack-Nova-API-Version", "2.10"));
        assertThat(legacy.header("X-OpenStack-Nova-API-Version")).contains("2.10");

        assertNovaError(at("2.99", "GET", "/flavors", cloud.alpha, null), 406, "computeFault",
                "Minimum is 2.1 and maximum is 2.79");
        JsonNode version = cloud.compute.get("", null).json().get("version");
        assertThat(version.get("min_version").asText()).isEqualTo("2.1");
        assertThat(version.get("version").asText()).isEqualTo("2.79");
    }

    @Test
    void theChangesOf2_38To2_46AreFollowed() {
        assertThat(at("2.37", "GET", "/servers?status=NONSENSE", cloud.alpha, null).json().get("servers")).isEmpty();
        assertNovaError(at("2.38", "GET", "/servers?status=NONSENSE", cloud.alpha, null), 400, "badRequest",
                "Invalid status value");
        assertThat(at("2.38", "GET", "/servers?status=shutoff", cloud.alpha, null).status()).isEqualTo(200);
        assertThat(at("2.38", "GET", "/limits", cloud.alpha, null).json().at("/limits/absolute").has("maxImageMeta"))
                .isTrue();
        assertThat(at("2.39", "GET", "/limits", cloud.alpha, null).json().at("/limits/absolute").has("maxImageMeta"))
                .isFalse();
        String tagged = "{\"server\": {\"name\": \"t\", \"imageRef\": \"" + cloud.defaultImage + "\", \"flavorRef\": \"1\","
                + " \"networks\": [{\"uuid\": \"" + cloud.network(cloud.alpha, "tagged", "10.66.0.0/24") + "\", \"tag\": \"mgmt\"}]}}";
        assertNovaError(at("2.37", "POST", "/servers", cloud.alpha, tagged), 400, "badRequest", "tag");
        Http.Reply back = at("2.42", "POST", "/servers", cloud.alpha, tagged);
        assertThat(back.status()).as("device tags are back: " + back).isEqualTo(202);
        assertThat(at("2.46", "GET", "/flavors", cloud.alpha, null).header("x-compute-request-id")).isPresent();
    }

    @Test
    void from237NetworksIsRequiredAndMayBeAutoOrNone() {
        String body = "{\"server\": {\"name\": \"vm\", \"imageRef\": \"" + cloud.defaultImage + "\", \"flavorRef\": \"1\"%s}}";
        assertNovaError(at("2.37", "POST", "/servers", cloud.alpha, body.formatted("")), 400, "badRequest", "networks");
        assertNovaError(at("2.36", "POST", "/servers", cloud.alpha, body.formatted(", \"networks\": \"none\"")), 400,
                "badRequest", "networks");

        Http.Reply none = at("2.37", "POST", "/servers", cloud.alpha, body.formatted(", \"networks\": \"none\""));
        assertThat(none.status()).as(none.toString()).isEqualTo(202);
        JsonNode noNetwork = cloud.settled(cloud.alpha, none.json().at("/server/id").asText());
        assertThat(noNetwork.get("status").asText()).isEqualTo("ACTIVE");
        assertThat(noNetwork.get("addresses")).isEmpty();

        assertNovaError(at("2.37", "POST", "/servers", cloud.alpha, body.formatted(", \"networks\": \"auto\"")), 400,
                "badRequest", "Unable to automatically allocate a network");
        String net = cloud.network(cloud.alpha, "only", "10.3.0.0/24");
        Http.Reply auto = at("2.37", "POST", "/servers", cloud.alpha, body.formatted(", \"networks\": \"auto\""));
        assertThat(auto.status()).as(auto.toString()).isEqualTo(202);
        JsonNode onIt = cloud.settled(cloud.alpha, auto.json().at("/server/id").asText());
        assertThat(onIt.at("/addresses/only/0/addr").asText()).startsWith("10.3.0.");
        cloud.network(cloud.alpha, "second", "10.4.0.0/24");
        assertNovaError(at("2.37", "POST", "/servers", cloud.alpha, body.formatted(", \"networks\": \"auto\"")), 409,
                "conflictingRequest", "Multiple possible networks found");
        assertThat(net).isNotEmpty();
    }

    @Test
    void viewsChangeWithTheMicroversion() {
        String id = cloud.bootOk(cloud.alpha, "vm", "[]");
        cloud.settled(cloud.alpha, id);
        JsonNode old = cloud.compute.get("/servers/" + id, cloud.admin).json().get("server");
        assertThat(old.has("locked")).isFalse();
        assertThat(old.has("OS-EXT-SRV-ATTR:hostname")).isFalse();
        JsonNode newer = at("2.26", "GET", "/servers/" + id, cloud.admin, null).json().get("server");
        assertThat(newer.get("locked").asBoolean()).isFalse();
        assertThat(newer.get("OS-EXT-SRV-ATTR:hostname").asText()).isEqualTo("vm");
        assertThat(newer.get("host_status").asText()).isEqualTo("UP");
        assertThat(newer.has("description")).isTrue();
        assertThat(newer.get("tags")).isEmpty();
    }

    @Test
    void flavorsArePagedWithLimitAndMarkerAndSortedOnRequest() {
        List<String> all = ids(cloud.compute.get("/flavors", cloud.alpha).json());
        assertThat(all).hasSizeGreaterThan(2).isSorted();
        Http.Reply first = cloud.compute.get("/flavors?limit=2", cloud.alpha);
        assertThat(ids(first.json())).isEqualTo(all.subList(0, 2));
        String next = first.json().at("/flavors_links/0/href").asText();
        assertThat(next).contains("limit=2").contains("marker=" + all.get(1));
        assertThat(ids(cloud.compute.get("/flavors/detail?limit=2&marker=" + all.get(1), cloud.alpha).json()))
                .isEqualTo(all.subList(2, Math.min(4, all.size())));
        assertNovaError(cloud.compute.get("/flavors?marker=nope", cloud.alpha), 400, "badRequest", "marker [nope] not found");

        JsonNode byRam = cloud.compute.get("/flavors/detail?sort_key=memory_mb&sort_dir=desc", cloud.alpha).json();
        List<Integer> rams = new java.util.ArrayList<>();
        byRam.get("flavors").forEach(f -> rams.add(f.get("ram").asInt()));
        assertThat(rams).isSortedAccordingTo(java.util.Comparator.reverseOrder());
        assertNovaError(cloud.compute.get("/flavors?sort_key=colour", cloud.alpha), 400, "badRequest", "sort_key");
    }

    @Test
    void serversAreListedByChangesSince() {
        String mgmt = cloud.network(cloud.alpha, "mgmt", "10.0.0.0/24");
        String id = cloud.bootOk(cloud.alpha, "vm1", "[{\"uuid\": \"" + mgmt + "\"}]");
        JsonNode server = cloud.settled(cloud.alpha, id);
        String updated = server.get("updated").asText();
        assertThat(cloud.compute.get("/servers?changes-since=" + updated, cloud.alpha).json().get("servers")).hasSize(1);
        assertThat(cloud.compute.get("/servers?changes-since=2999-01-01T00:00:00Z", cloud.alpha).json().get("servers"))
                .isEmpty();
        assertNovaError(cloud.compute.get("/servers?changes-since=yesterday", cloud.alpha), 400, "badRequest",
                "'yesterday' is not a 'date-time'");
    }

    @Test
    void aServersAddressesTheZoneAndTheLegacyVersionAreServedAsNovaServesThem() {
        String mgmt = cloud.network(cloud.alpha, "mgmt", "10.0.0.0/24");
        String other = cloud.network(cloud.alpha, "other", "10.9.0.0/24");
        Http.Reply created = cloud.compute.post("/servers", cloud.alpha, """
                {"server": {"name": "vm1", "imageRef": "%s", "flavorRef": "1", "adminPass": "chosen",
                 "networks": [{"uuid": "%s"}]}}""".formatted(cloud.defaultImage, mgmt));
        assertThat(created.json().at("/server/adminPass").asText()).as("a given password is answered back").isEqualTo("chosen");
        String id = created.json().at("/server/id").asText();
        String address = cloud.settled(cloud.alpha, id).at("/addresses/mgmt/0/addr").asText();
        String second = cloud.bootOk(cloud.alpha, "vm2", "[{\"uuid\": \"" + other + "\"}]");
        cloud.settled(cloud.alpha, second);

        JsonNode ips = cloud.compute.get("/servers/" + id + "/ips", cloud.alpha).json();
        assertThat(ips.at("/addresses/mgmt/0/addr").asText()).isEqualTo(address);
        assertThat(ips.at("/addresses/mgmt/0").has("OS-EXT-IPS:type")).as("the basic view").isFalse();
        assertThat(cloud.compute.get("/servers/" + id + "/ips/mgmt", cloud.alpha).json().at("/mgmt/0/version").asInt())
                .isEqualTo(4);
        assertNovaError(cloud.compute.get("/servers/" + id + "/ips/other", cloud.alpha), 404, "itemNotFound",
                "There are no records for this network.");
        JsonNode byIp = cloud.compute.get("/servers?ip=" + java.net.URLEncoder.encode(address.replace(".", "\\.") + "$",
                java.nio.charset.StandardCharsets.UTF_8), cloud.alpha).json();
        assertThat(byIp.get("servers")).hasSize(1);
        assertThat(byIp.at("/servers/0/id").asText()).isEqualTo(id);
        assertThat(cloud.compute.get("/servers?ip=10.9.", cloud.alpha).json().at("/servers/0/id").asText()).isEqualTo(second);

        JsonNode zones = cloud.compute.get("/os-availability-zone", cloud.alpha).json().get("availabilityZoneInfo");
        assertThat(zones.at("/0/zoneName").asText()).isEqualTo("nova");
        assertThat(zones.at("/0/zoneState/available").asBoolean()).isTrue();
        assertThat(cloud.compute.get("/os-availability-zone/detail", cloud.admin).json()
                .at("/availabilityZoneInfo/0/hosts/host1/nova-compute/active").asBoolean()).isTrue();
        assertThat(cloud.compute.get("/os-availability-zone/detail", cloud.alpha).status()).isEqualTo(403);
        assertThat(cloud.computeRoot.get("/v2/", cloud.alpha).json().at("/version/id").asText()).isEqualTo("v2.0");

        JsonNode limits = cloud.compute.get("/limits", cloud.alpha).json().at("/limits/absolute");
        assertThat(limits.has("maxImageMeta")).as("until 2.39").isTrue();
        assertThat(limits.has("maxSecurityGroups")).as("until 2.36").isTrue();
        JsonNode later = cloud.compute.send("GET", "/limits", cloud.alpha, null,
                Map.of("OpenStack-API-Version", "compute 2.36")).json().at("/limits/absolute");
        assertThat(later.has("maxSecurityGroups")).isFalse();
        assertThat(later.has("maxImageMeta")).isTrue();
    }

    @Test
    void theFakeConsoleHasLinesToCut() {
        String id = cloud.bootOk(cloud.alpha, "vm1", "[]");
        cloud.settled(cloud.alpha, id);
        String three = cloud.compute.post("/servers/" + id + "/action", cloud.alpha,
                "{\"os-getConsoleOutput\": {\"length\": 3}}").json().get("output").asText();
        assertThat(three.split("\n", -1)).as("Nova's tail: the last 3 pieces between newlines").hasSize(3);
        String all = cloud.compute.post("/servers/" + id + "/action", cloud.alpha,
                "{\"os-getConsoleOutput\": {\"length\": null}}").json().get("output").asText();
        assertThat(all.lines().count()).isGreaterThan(3);
    }

    private static List<String> ids(JsonNode body) {
        List<String> ids = new java.util.ArrayList<>();
        body.get("flavors").forEach(f -> ids.add(f.get("id").asText()));
        return ids;
    }

    @Test
    void flavorsAreListedByAllAndManagedByAdmins() {
        JsonNode detail = cloud.compute.get("/flavors/detail", cloud.alpha).json().get("flavors");
        assertThat(detail.findValuesAsText("name")).contains("m1.tiny", "m1.small", "m1.medium", "m1.large");
        assertThat(cloud.compute.get("/flavors/1", cloud.alpha).json().at("/flavor/ram").asInt()).isEqualTo(512);
        String body = "{\"flavor\": {\"name\": \"nf.router\", \"ram\": 256, \"vcpus\": 1, \"disk\": 1, \"id\": \"nf1\"}}";

        assertNovaError(cloud.compute.post("/flavors", cloud.alpha, body), 403, "forbidden", "os-flavor-manage:create");
        assertThat(cloud.compute.post("/flavors", cloud.admin, body).status()).isEqualTo(200);
        assertNovaError(cloud.compute.post("/flavors", cloud.admin, body), 409, "conflictingRequest", "already exists");
        assertNovaError(cloud.compute.post("/flavors", cloud.admin,
                "{\"flavor\": {\"name\": \"bad\", \"ram\": 0, \"vcpus\": 1, \"disk\": 1}}"), 400, "badRequest", "ram");
        assertThat(cloud.compute.get("/flavors/nf1", cloud.alpha).json().at("/flavor/vcpus").asInt()).isEqualTo(1);
        assertThat(cloud.compute.send("DELETE", "/flavors/nf1", cloud.admin, null).status()).isEqualTo(202);
        assertNovaError(cloud.compute.get("/flavors/nf1", cloud.alpha), 404, "itemNotFound", "Flavor nf1 could not be found.");
    }

    @Test
    void keypairsAreImportedOrGeneratedPerUser() {
        Http.Reply generated = at("2.2", "POST", "/os-keypairs", cloud.alpha, "{\"keypair\": {\"name\": \"k1\"}}");
        assertThat(generated.status()).as(generated.toString()).isEqualTo(201);
        assertThat(generated.json().at("/keypair/private_key").asText()).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(generated.json().at("/keypair/public_key").asText()).startsWith("ssh-rsa ");
        assertThat(generated.json().at("/keypair/fingerprint").asText()).matches("([0-9a-f]{2}:){15}[0-9a-f]{2}");
        assertThat(generated.json().at("/keypair/type").asText()).isEqualTo("ssh");

        String publicKey = generated.json().at("/keypair/public_key").asText();
        Http.Reply imported = cloud.compute.post("/os-keypairs", cloud.alpha,
                "{\"keypair\": {\"name\": \"k2\", \"public_key\": \"" + publicKey + "\"}}");
        assertThat(imported.status()).isEqualTo(200);
        assertThat(imported.json().at("/keypair/fingerprint").asText())
                .isEqualTo(generated.json().at("/keypair/fingerprint").asText());
        assertThat(imported.json().at("/keypair").has("private_key")).isFalse();

        assertNovaError(cloud.compute.post("/os-keypairs", cloud.alpha, "{\"keypair\": {\"name\": \"k1\"}}"), 409,
                "conflictingRequest", "Key pair 'k1' already exists.");
        assertNovaError(cloud.compute.post("/os-keypairs", cloud.alpha,
                "{\"keypair\": {\"name\": \"k3\", \"public_key\": \"ssh-rsa bm90IGEga2V5\"}}"), 400, "badRequest",
                "Keypair data is invalid");
        assertNovaError(cloud.compute.post("/os-keypairs", cloud.alpha, "{\"keypair\": {\"name\": \"bad/name\"}}"), 400,
                "badRequest", "unsafe characters");
        assertThat(cloud.compute.get("/os-keypairs", cloud.alpha).json().findValuesAsText("name")).containsExactly("k1", "k2");
        assertThat(cloud.compute.get("/os-keypairs", cloud.beta).json().get("keypairs")).isEmpty();
        assertNovaError(cloud.compute.get("/os-keypairs/k1", cloud.beta), 404, "itemNotFound", "Keypair k1 not found");

        String id = cloud.compute.post("/servers", cloud.alpha, """
                {"server": {"name": "vm", "imageRef": "%s", "flavorRef": "1", "key_name": "k1", "networks": []}}"""
                .formatted(cloud.defaultImage)).json().at("/server/id").asText();
        assertThat(cloud.settled(cloud.alpha, id).get("key_name").asText()).isEqualTo("k1");
        assertThat(cloud.compute.send("DELETE", "/os-keypairs/k2", cloud.alpha, null).status()).isEqualTo(202);
    }

    @Test
    void servicesAndHypervisorsAreForAdminsAndDisablingAHostKeepsServersOff() {
        assertThat(cloud.compute.get("/os-services", cloud.alpha).status()).isEqualTo(403);
        JsonNode services = cloud.compute.get("/os-services", cloud.admin).json().get("services");
        assertThat(services.findValuesAsText("host")).containsExactlyInAnyOrder("host1", "host2");
        assertThat(services.findValuesAsText("binary")).containsOnly("nova-compute");
        assertThat(cloud.compute.get("/os-hypervisors", cloud.alpha).status()).isEqualTo(403);
        assertThat(cloud.compute.get("/os-hypervisors/detail", cloud.admin).json().get("hypervisors")).hasSize(2);

        cloud.compute.send("PUT", "/os-services/disable", cloud.admin, "{\"host\": \"host1\", \"binary\": \"nova-compute\"}");
        for (int i = 0; i < 3; i++) {
            String id = cloud.bootOk(cloud.alpha, "vm" + i, "[]");
            cloud.settled(cloud.alpha, id);
            assertThat(cloud.compute.get("/servers/" + id, cloud.admin).json().at("/server/OS-EXT-SRV-ATTR:host").asText())
                    .isEqualTo("host2");
        }
        assertThat(cloud.compute.get("/os-services?host=host1", cloud.admin).json().at("/services/0/status").asText())
                .isEqualTo("disabled");
    }

    @Test
    void externalEventsAreAnAdminsAndReportWhichServersExist() {
        String id = cloud.bootOk(cloud.alpha, "vm", "[]");
        cloud.settled(cloud.alpha, id);
        String events = "{\"events\": [{\"name\": \"network-changed\", \"server_uuid\": \"%s\"}]}";

        assertThat(cloud.compute.post("/os-server-external-events", cloud.alpha, events.formatted(id)).status()).isEqualTo(403);
        Http.Reply ok = cloud.compute.post("/os-server-external-events", cloud.admin, events.formatted(id));
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.json().at("/events/0/code").asInt()).isEqualTo(200);
        assertNovaError(cloud.compute.post("/os-server-external-events", cloud.admin,
                events.formatted("00000000-0000-4000-8000-000000000000")), 404, "itemNotFound", "No instances found");
        assertNovaError(cloud.compute.post("/os-server-external-events", cloud.admin,
                "{\"events\": [{\"name\": \"network-exploded\", \"server_uuid\": \"" + id + "\"}]}"), 400, "badRequest", "name");
    }
}
