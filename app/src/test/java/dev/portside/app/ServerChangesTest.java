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
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static dev.portside.app.Cloud.assertNovaError;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a user changes on a server after boot, as Nova answers it: its name, description and access
 * addresses (PUT), its lock, its tags (2.26) and its metadata.
 */
@ParameterizedClass(name = "on {0}")
@MethodSource("dev.portside.common.testing.TestDatabase#configured")
class ServerChangesTest {
    private static final Map<String, String> V2_26 = Map.of("OpenStack-API-Version", "compute 2.26");

    @Parameter
    TestDatabase kind;
    @TempDir
    Path dataDir;
    Cloud cloud;
    String server;

    @BeforeEach
    void start() throws Exception {
        cloud = new Cloud(kind, dataDir, "fake_hosts: [{name: host1}]\n");
        server = cloud.bootOk(cloud.alpha, "vm1", "[]");
        cloud.settled(cloud.alpha, server);
    }

    @AfterEach
    void stop() {
        cloud.close();
    }

    @Test
    void putChangesTheNameTheDescriptionAndTheAccessAddressesAndKeepsWhatItDoesNotName() {
        Http.Reply renamed = cloud.compute.send("PUT", "/servers/" + server, cloud.alpha, """
                {"server": {"name": "router-1", "accessIPv4": "192.0.2.10", "accessIPv6": "2001:db8::10"}}""");
        assertThat(renamed.status()).as(renamed.toString()).isEqualTo(200);
        assertThat(renamed.json().at("/server/name").asText()).isEqualTo("router-1");
        assertThat(renamed.json().get("server").has("OS-EXT-STS:vm_state")).as("Nova's short view before 2.75").isFalse();
        Http.Reply longest = update("{\"server\": {\"accessIPv6\": \"0000:0000:0000:0000:0000:ffff:192.0.2.200\"}}");
        assertThat(longest.status()).as("an IPv6 text of 41 characters " + longest).isEqualTo(200);

        Http.Reply described = cloud.compute.send("PUT", "/servers/" + server, cloud.alpha,
                "{\"server\": {\"description\": \"edge router\"}}", Map.of("OpenStack-API-Version", "compute 2.19"));
        assertThat(described.status()).as(described.toString()).isEqualTo(200);
        JsonNode shown = cloud.compute.send("GET", "/servers/" + server, cloud.alpha, null, Map.of("OpenStack-API-Version", "compute 2.19"))
                .json().get("server");
        assertThat(shown.get("name").asText()).isEqualTo("router-1");
        assertThat(shown.get("description").asText()).isEqualTo("edge router");
        assertThat(shown.get("accessIPv4").asText()).isEqualTo("192.0.2.10");
        assertThat(shown.get("accessIPv6").asText()).as("in canonical form, as Nova keeps it").isEqualTo("::ffff:c000:2c8");
    }

    @Test
    void putRefusesWhatNovaRefuses() {
        assertNovaError(update("{\"server\": {\"accessIPv4\": \"192.0.2.300\"}}"), 400, "badRequest",
                "'192.0.2.300' is not a 'ipv4'");
        assertNovaError(update("{\"server\": {\"accessIPv6\": \"192.0.2.1\"}}"), 400, "badRequest", "is not a 'ipv6'");
        assertNovaError(update("{\"server\": {\"name\": \"\"}}"), 400, "badRequest", "name");
        assertNovaError(update("{\"server\": {\"name\": \"" + "x".repeat(256) + "\"}}"), 400, "badRequest", "name");
        assertNovaError(update("{\"server\": {\"description\": \"before 2.19\"}}"), 400, "badRequest", "description");
        assertNovaError(update("{\"server\": {\"colour\": \"red\"}}"), 400, "badRequest", "colour");
        assertNovaError(cloud.compute.send("PUT", "/servers/" + server, cloud.beta, "{\"server\": {\"name\": \"x\"}}"),
                404, "itemNotFound", "could not be found");
        assertThat(cloud.compute.get("/servers/" + server, cloud.alpha).json().at("/server/name").asText())
                .isEqualTo("vm1");
    }

    @Test
    void aLockedServerRefusesChangesToItsProjectButNotToAnAdmin() {
        assertThat(action(cloud.alpha, "{\"lock\": null}").status()).isEqualTo(202);
        assertThat(cloud.compute.send("GET", "/servers/" + server, cloud.alpha, null, Map.of("OpenStack-API-Version", "compute 2.9"))
                .json().at("/server/locked").asBoolean()).isTrue();

        assertNovaError(action(cloud.alpha, "{\"os-stop\": null}"), 409, "conflictingRequest",
                "Instance " + server + " is locked");
        assertNovaError(cloud.compute.send("DELETE", "/servers/" + server, cloud.alpha, null), 409,
                "conflictingRequest", "is locked");
        assertNovaError(cloud.compute.post("/servers/" + server + "/metadata", cloud.alpha,
                "{\"metadata\": {\"a\": \"b\"}}"), 409, "conflictingRequest", "is locked");
        assertThat(action(cloud.admin, "{\"os-stop\": null}").status()).as("an admin passes a lock").isEqualTo(202);
        assertThat(cloud.settled(cloud.alpha, server).get("status").asText()).isEqualTo("SHUTOFF");

        assertThat(action(cloud.alpha, "{\"unlock\": null}").status()).as("the owner lifts its own lock").isEqualTo(202);
        assertThat(action(cloud.alpha, "{\"unlock\": null}").status()).as("unlocking an unlocked server").isEqualTo(202);
        assertThat(action(cloud.alpha, "{\"os-start\": null}").status()).isEqualTo(202);
        cloud.settled(cloud.alpha, server);
    }

    @Test
    void anAdminsLockIsLiftedOnlyByAnAdmin() {
        assertThat(action(cloud.admin, "{\"lock\": {}}").status()).isEqualTo(202);
        assertNovaError(action(cloud.alpha, "{\"unlock\": null}"), 403, "forbidden", "");
        assertThat(action(cloud.alpha, "{\"lock\": null}").status()).as("the owner's lock over an admin's").isEqualTo(202);
        assertThat(action(cloud.admin, "{\"unlock\": null}").status()).isEqualTo(202);
        assertThat(cloud.compute.send("GET", "/servers/" + server, cloud.alpha, null, Map.of("OpenStack-API-Version", "compute 2.9"))
                .json().at("/server/locked").asBoolean()).isFalse();
        // Nova reads a lock's body only from 2.73, where it may carry a reason.
        assertNovaError(cloud.compute.send("POST", "/servers/" + server + "/action", cloud.alpha, "{\"lock\": \"why\"}",
                Map.of("OpenStack-API-Version", "compute 2.73")), 400, "badRequest", "lock");
    }

    @Test
    void tagsAreAddedCheckedReplacedAndRemovedFrom226() {
        assertThat(cloud.compute.get("/servers/" + server + "/tags", cloud.alpha).status())
                .as("tags come with 2.26").isEqualTo(404);
        Http.Reply added = tag("PUT", "edge");
        assertThat(added.status()).isEqualTo(201);
        assertThat(added.header("Location").orElseThrow()).endsWith("/v2.1/servers/" + server + "/tags/edge");
        assertThat(tag("PUT", "edge").status()).as("a tag the server has").isEqualTo(204);
        assertThat(tag("GET", "edge").status()).isEqualTo(204);
        assertNovaError(tag("GET", "core"), 404, "itemNotFound", "Server " + server + " has no tag 'core'");
        assertNovaError(tag("PUT", "a,b"), 400, "badRequest", "Tag 'a,b' is invalid");

        Http.Reply replaced = cloud.compute.send("PUT", "/servers/" + server + "/tags", cloud.alpha,
                "{\"tags\": [\"b\", \"a\", \"b\"]}", V2_26);
        assertThat(texts(replaced.json().get("tags"))).containsExactly("a", "b");
        JsonNode shown = cloud.compute.send("GET", "/servers/" + server, cloud.alpha, null, V2_26).json().get("server");
        assertThat(texts(shown.get("tags"))).containsExactly("a", "b");
        assertThat(tag("DELETE", "a").status()).isEqualTo(204);
        assertNovaError(tag("DELETE", "a"), 404, "itemNotFound", "has no tag 'a'");
        assertThat(cloud.compute.send("DELETE", "/servers/" + server + "/tags", cloud.alpha, null, V2_26).status())
                .isEqualTo(204);
        assertThat(cloud.compute.send("GET", "/servers/" + server + "/tags", cloud.alpha, null, V2_26).json().get("tags")).isEmpty();
        assertThat(cloud.compute.send("PUT", "/servers/" + server + "/tags/x", cloud.beta, null, V2_26).status())
                .as("another project's server").isEqualTo(404);
    }

    @Test
    void aServerHoldsAtMostFiftyTags() {
        String fifty = IntStream.range(0, 50).mapToObj(i -> "\"t" + i + "\"").collect(Collectors.joining(", "));
        assertThat(cloud.compute.send("PUT", "/servers/" + server + "/tags", cloud.alpha, "{\"tags\": [" + fifty + "]}",
                V2_26).status()).isEqualTo(200);
        assertNovaError(tag("PUT", "one-more"), 400, "badRequest", "exceeded the per-server limit 50");
        assertNovaError(cloud.compute.send("PUT", "/servers/" + server + "/tags", cloud.alpha,
                "{\"tags\": [" + fifty + ", \"t50\"]}", V2_26), 400, "badRequest", "tags");
    }

    @Test
    void serversAreListedByTheirTags() {
        String other = cloud.bootOk(cloud.alpha, "vm2", "[]");
        cloud.settled(cloud.alpha, other);
        cloud.compute.send("PUT", "/servers/" + server + "/tags", cloud.alpha, "{\"tags\": [\"edge\", \"nat\"]}", V2_26);
        cloud.compute.send("PUT", "/servers/" + other + "/tags", cloud.alpha, "{\"tags\": [\"nat\"]}", V2_26);

        assertThat(listedNames("tags=edge,nat")).containsExactly("vm1");
        assertThat(listedNames("tags-any=edge,nat")).containsExactlyInAnyOrder("vm1", "vm2");
        assertThat(listedNames("not-tags=edge,nat")).containsExactly("vm2");
        assertThat(listedNames("not-tags-any=edge")).containsExactly("vm2");
    }

    @Test
    void metadataIsMergedReplacedAndChangedItemByItem() {
        Http.Reply merged = cloud.compute.post("/servers/" + server + "/metadata", cloud.alpha,
                "{\"metadata\": {\"role\": \"router\", \"site\": \"a\"}}");
        assertThat(merged.status()).isEqualTo(200);
        assertThat(merged.json().at("/metadata/role").asText()).isEqualTo("router");
        Http.Reply item = cloud.compute.send("PUT", "/servers/" + server + "/metadata/site", cloud.alpha,
                "{\"meta\": {\"site\": \"b\"}}");
        assertThat(item.json().at("/meta/site").asText()).isEqualTo("b");
        assertThat(cloud.compute.get("/servers/" + server + "/metadata/site", cloud.alpha).json().at("/meta/site")
                .asText()).isEqualTo("b");
        assertThat(cloud.compute.get("/servers/" + server, cloud.alpha).json().at("/server/metadata/role").asText())
                .isEqualTo("router");

        assertNovaError(cloud.compute.send("PUT", "/servers/" + server + "/metadata/site", cloud.alpha,
                "{\"meta\": {\"other\": \"b\"}}"), 400, "badRequest", "Request body and URI mismatch");
        assertNovaError(cloud.compute.send("PUT", "/servers/" + server + "/metadata/site", cloud.alpha,
                "{\"meta\": {\"site\": \"b\", \"x\": \"y\"}}"), 400, "badRequest", "Request body contains too many items");
        assertNovaError(cloud.compute.post("/servers/" + server + "/metadata", cloud.alpha,
                "{\"metadata\": {\"k\": 1}}"), 400, "badRequest", "metadata");

        Http.Reply replaced = cloud.compute.send("PUT", "/servers/" + server + "/metadata", cloud.alpha,
                "{\"metadata\": {\"only\": \"this\"}}");
        assertThat(replaced.json().get("metadata").size()).isEqualTo(1);
        assertThat(cloud.compute.send("DELETE", "/servers/" + server + "/metadata/only", cloud.alpha, null).status())
                .isEqualTo(204);
        assertNovaError(cloud.compute.send("DELETE", "/servers/" + server + "/metadata/only", cloud.alpha, null), 404,
                "itemNotFound", "Metadata item was not found");
        assertThat(cloud.compute.get("/servers/" + server + "/metadata", cloud.alpha).json().get("metadata")).isEmpty();
    }

    @Test
    void metadataCountsAgainstTheProjectsQuota() {
        String project = cloud.compute.get("/servers/" + server, cloud.alpha).json().at("/server/tenant_id").asText();
        cloud.compute.send("PUT", "/os-quota-sets/" + project, cloud.admin, "{\"quota_set\": {\"metadata_items\": 2}}");
        assertThat(cloud.compute.post("/servers/" + server + "/metadata", cloud.alpha,
                "{\"metadata\": {\"a\": \"1\", \"b\": \"2\"}}").status()).isEqualTo(200);
        assertNovaError(cloud.compute.send("PUT", "/servers/" + server + "/metadata/c", cloud.alpha,
                "{\"meta\": {\"c\": \"3\"}}"), 403, "forbidden", "Quota exceeded for metadata_items");
        assertThat(cloud.compute.get("/servers/" + server + "/metadata", cloud.alpha).json().get("metadata").size())
                .isEqualTo(2);
    }

    private List<String> listedNames(String query) {
        List<String> names = new ArrayList<>();
        cloud.compute.send("GET", "/servers?" + query, cloud.alpha, null, V2_26).json().get("servers")
                .forEach(s -> names.add(s.get("name").asText()));
        return names;
    }

    private Http.Reply tag(String method, String tag) {
        return cloud.compute.send(method, "/servers/" + server + "/tags/" + tag, cloud.alpha, null, V2_26);
    }

    @Test
    void resizeGivesTheNewFlavorHoldsBothOnTheHostAndConfirmOrRevertEndsIt() {
        assertThat(action(cloud.alpha, "{\"resize\": {\"flavorRef\": \"2\"}}").status()).isEqualTo(202);
        JsonNode resized = cloud.settled(cloud.admin, server);
        assertThat(resized.get("status").asText()).isEqualTo("VERIFY_RESIZE");
        assertThat(resized.at("/flavor/id").asText()).isEqualTo("2");
        assertThat(memoryUsed()).as("the host holds the old flavor and the new one").isEqualTo(512 + 2048);
        assertNovaError(action(cloud.alpha, "{\"os-stop\": null}"), 409, "conflictingRequest", "vm_state resized");

        assertThat(action(cloud.alpha, "{\"revertResize\": null}").status()).isEqualTo(202);
        JsonNode reverted = cloud.settled(cloud.admin, server);
        assertThat(reverted.get("status").asText()).isEqualTo("ACTIVE");
        assertThat(reverted.at("/flavor/id").asText()).isEqualTo("1");
        assertThat(memoryUsed()).isEqualTo(512);

        assertThat(action(cloud.alpha, "{\"os-stop\": null}").status()).isEqualTo(202);
        cloud.settled(cloud.alpha, server);
        assertThat(action(cloud.alpha, "{\"resize\": {\"flavorRef\": \"3\"}}").status()).isEqualTo(202);
        assertThat(cloud.settled(cloud.alpha, server).get("status").asText()).isEqualTo("VERIFY_RESIZE");
        assertThat(action(cloud.alpha, "{\"confirmResize\": null}").status()).isEqualTo(204);
        JsonNode confirmed = cloud.settled(cloud.admin, server);
        assertThat(confirmed.get("status").asText()).as("stopped before, stopped after").isEqualTo("SHUTOFF");
        assertThat(confirmed.at("/flavor/id").asText()).isEqualTo("3");
        assertThat(memoryUsed()).isEqualTo(4096);
        assertNovaError(action(cloud.alpha, "{\"confirmResize\": null}"), 400, "badRequest", "has not been resized");
    }

    @Test
    void resizeRefusesWhatNovaRefuses() {
        assertNovaError(action(cloud.alpha, "{\"resize\": {\"flavorRef\": \"1\"}}"), 400, "badRequest",
                "must change flavor");
        assertNovaError(action(cloud.alpha, "{\"resize\": {\"flavorRef\": \"nope\"}}"), 400, "badRequest",
                "Unable to locate requested flavor");
        assertNovaError(action(cloud.alpha, "{\"resize\": {}}"), 400, "badRequest", "flavorRef");
        assertNovaError(action(cloud.alpha, "{\"revertResize\": null}"), 400, "badRequest", "has not been resized");
        String alpha = cloud.identity.get("/v3/projects?name=alpha", cloud.admin).json().at("/projects/0/id").asText();
        assertThat(cloud.compute.send("PUT", "/os-quota-sets/" + alpha, cloud.admin,
                "{\"quota_set\": {\"cores\": 4}}").status()).isEqualTo(200);
        assertNovaError(action(cloud.alpha, "{\"resize\": {\"flavorRef\": \"5\"}}"), 403, "forbidden",
                "Quota exceeded for cores");
        assertThat(cloud.compute.get("/servers/" + server, cloud.alpha).json().at("/server/status").asText())
                .as("a refused resize changes nothing").isEqualTo("ACTIVE");
        assertThat(action(cloud.alpha, "{\"resize\": {\"flavorRef\": \"3\"}}").status()).isEqualTo(202);
        cloud.settled(cloud.alpha, server);
        assertNovaError(action(cloud.alpha, "{\"resize\": {\"flavorRef\": \"2\"}}"), 409, "conflictingRequest",
                "vm_state resized");
        assertThat(action(cloud.alpha, "{\"confirmResize\": null}").status()).isEqualTo(204);
        cloud.settled(cloud.alpha, server);
        assertNovaError(action(cloud.alpha, "{\"resize\": {\"flavorRef\": \"2\"}}"), 400, "badRequest",
                "smaller disk");
    }

    @Test
    void instanceActionsRecordWhatWasDoneToTheServerAndOutliveItFrom2_21() {
        Http.Reply reboot = action(cloud.alpha, "{\"reboot\": {\"type\": \"HARD\"}}");
        assertThat(reboot.status()).isEqualTo(202);
        String request = reboot.header("x-openstack-request-id").orElseThrow();
        assertThat(reboot.header("x-compute-request-id")).as("Nova's own header too").contains(request);
        cloud.settled(cloud.alpha, server);
        assertThat(action(cloud.alpha, "{\"os-getConsoleOutput\": {}}").status()).as("not an action Nova records")
                .isEqualTo(200);
        assertNovaError(action(cloud.alpha, "{\"os-start\": null}"), 409, "conflictingRequest", "vm_state active");

        String actions = "/servers/" + server + "/os-instance-actions";
        assertThat(cloud.compute.get(actions, cloud.alpha).json().get("instanceActions").findValuesAsText("action"))
                .as("newest first; a refused request did nothing").containsExactly("reboot", "create");
        JsonNode shown = cloud.compute.get(actions + "/" + request, cloud.alpha).json().get("instanceAction");
        assertThat(shown.get("instance_uuid").asText()).isEqualTo(server);
        assertThat(shown.get("action").asText()).isEqualTo("reboot");
        assertThat(shown.has("events")).as("an admin's to see before 2.51").isFalse();
        assertThat(cloud.compute.get(actions + "/" + request, cloud.admin).json().at("/instanceAction/events").isArray())
                .isTrue();
        assertNovaError(cloud.compute.get(actions + "/req-999", cloud.alpha), 404, "itemNotFound", "not found");
        assertNovaError(cloud.compute.get(actions, cloud.beta), 404, "itemNotFound", "could not be found");

        assertThat(cloud.compute.send("DELETE", "/servers/" + server, cloud.alpha, null).status()).isEqualTo(204);
        cloud.gone(cloud.alpha, server);
        assertNovaError(cloud.compute.get(actions, cloud.alpha), 404, "itemNotFound", "could not be found");
        Map<String, String> v221 = Map.of("OpenStack-API-Version", "compute 2.21");
        assertThat(cloud.compute.send("GET", actions, cloud.alpha, null, v221).json().get("instanceActions")
                .findValuesAsText("action")).containsExactly("delete", "reboot", "create");
        assertNovaError(cloud.compute.send("GET", actions, cloud.beta, null, v221), 404, "itemNotFound", "");
    }

    @Test
    void callsNovaKeepsForOtherCloudsAnswerAsNovaWithNeutronAndNoSoftDeleteAnswers() {
        Http.Reply password = cloud.compute.get("/servers/" + server + "/os-server-password", cloud.alpha);
        assertThat(password.json().get("password").asText()).as("no metadata service, no password posted").isEmpty();
        assertThat(cloud.compute.send("DELETE", "/servers/" + server + "/os-server-password", cloud.alpha, null)
                .status()).isEqualTo(204);
        assertNovaError(cloud.compute.get("/servers/" + server + "/os-virtual-interfaces", cloud.alpha), 400,
                "badRequest", "not supported");
        assertNovaError(cloud.compute.send("GET", "/servers/" + server + "/os-virtual-interfaces", cloud.alpha, null,
                Map.of("OpenStack-API-Version", "compute 2.37")), 400, "badRequest", "not supported");
        assertNovaError(action(cloud.alpha, "{\"restore\": null}"), 409, "conflictingRequest", "vm_state active");
        JsonNode extensions = cloud.compute.get("/extensions", cloud.alpha).json().get("extensions");
        assertThat(extensions.findValuesAsText("name")).as("Nova's frozen list").contains("Hosts", "DiskConfig");
        assertThat(cloud.compute.get("/extensions/os-consoles", cloud.alpha).json().at("/extension/alias").asText())
                .isEqualTo("os-consoles");
        assertNovaError(cloud.compute.get("/extensions/os-nothing", cloud.alpha), 404, "itemNotFound", "");
        assertNovaError(cloud.compute.send("DELETE", "/os-security-groups/", cloud.alpha, null), 404, "itemNotFound",
                "could not be found");

        assertThat(action(cloud.alpha, "{\"forceDelete\": null}").status()).isEqualTo(202);
        cloud.gone(cloud.alpha, server);
        assertNovaError(action(cloud.alpha, "{\"forceDelete\": null}"), 404, "itemNotFound", "could not be found");
    }

    @Test
    void diskConfigIsKeptAndShownAndAMultiCreateSharesOneReservation() {
        assertThat(cloud.compute.get("/servers/" + server, cloud.alpha).json().at("/server/OS-DCF:diskConfig").asText())
                .isEqualTo("MANUAL");
        assertThat(update("{\"server\": {\"OS-DCF:diskConfig\": \"AUTO\"}}").json().at("/server/OS-DCF:diskConfig")
                .asText()).isEqualTo("AUTO");
        assertThat(action(cloud.alpha, "{\"rebuild\": {\"imageRef\": \"" + cloud.defaultImage
                + "\", \"OS-DCF:diskConfig\": \"MANUAL\"}}").status()).isEqualTo(202);
        assertThat(cloud.settled(cloud.alpha, server).get("OS-DCF:diskConfig").asText()).isEqualTo("MANUAL");
        assertNovaError(update("{\"server\": {\"OS-DCF:diskConfig\": \"SOMETIMES\"}}"), 400, "badRequest",
                "OS-DCF:diskConfig");

        Http.Reply many = cloud.compute.post("/servers", cloud.alpha, """
                {"server": {"name": "pair", "imageRef": "%s", "flavorRef": "1", "networks": [], "min_count": 2,
                 "return_reservation_id": true}}""".formatted(cloud.defaultImage));
        assertThat(many.status()).as(many.toString()).isEqualTo(202);
        String reservation = many.json().get("reservation_id").asText();
        assertThat(reservation).matches("r-[a-z0-9]{8}");
        List<String> reservations = new ArrayList<>();
        cloud.compute.send("GET", "/servers/detail?name=pair&all_tenants=1", cloud.admin, null,
                Map.of("OpenStack-API-Version", "compute 2.3")).json().get("servers")
                .forEach(s -> reservations.add(s.get("OS-EXT-SRV-ATTR:reservation_id").asText()));
        assertThat(reservations).containsExactly(reservation, reservation);
    }

    private int memoryUsed() {
        return cloud.compute.get("/os-hypervisors/detail", cloud.admin).json().at("/hypervisors/0/memory_mb_used").asInt();
    }

    private Http.Reply update(String body) {
        return cloud.compute.send("PUT", "/servers/" + server, cloud.alpha, body);
    }

    private Http.Reply action(String token, String body) {
        return cloud.compute.post("/servers/" + server + "/action", token, body);
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(t -> texts.add(t.asText()));
        return texts;
    }
}
