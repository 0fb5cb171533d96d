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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.portside.app.Cloud.assertNovaError;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Snapshots and backups of a server as images (createImage, createBackup with its rotation), shelving
 * (a snapshot, then the server offloaded from its host and booted again from it), and Nova's images
 * proxy that shows them: what a user of the fake driver sees, as Nova answers it.
 */
@ParameterizedClass(name = "on {0}")
@MethodSource("dev.portside.common.testing.TestDatabase#configured")
class ServerImagesTest {
    private static final Map<String, String> V2_36 = Map.of("OpenStack-API-Version", "compute 2.36");

    @Parameter
    TestDatabase kind;
    @TempDir
    Path dataDir;
    Cloud cloud;
    String server;

    @BeforeEach
    void start() throws Exception {
        // A copy that takes a moment, as a real one does, so a request can come while it runs.
        cloud = new Cloud(kind, dataDir, "fake_hosts: [{name: host1, snapshot_seconds: 0.3}]\n");
        server = cloud.bootOk(cloud.alpha, "vm1", "[]");
        cloud.settled(cloud.alpha, server);
    }

    @AfterEach
    void stop() {
        cloud.close();
    }

    @Test
    void createImageMakesAPrivateSnapshotThatBecomesActiveAndBootsAServer() {
        Http.Reply reply = action("{\"createImage\": {\"name\": \"vm1-snap\", \"metadata\": {\"role\": \"router\"}}}");
        assertThat(reply.status()).as(reply.toString()).isEqualTo(202);
        String location = reply.header("Location").orElseThrow();
        String imageId = location.substring(location.lastIndexOf('/') + 1);
        assertThat(location).as("the image's URL in the image service").endsWith("/images/" + imageId)
                .doesNotContain("/v2.1/");

        JsonNode image = activeImage(imageId);
        assertThat(image.get("name").asText()).isEqualTo("vm1-snap");
        assertThat(image.get("visibility").asText()).isEqualTo("private");
        assertThat(image.get("instance_uuid").asText()).isEqualTo(server);
        assertThat(image.get("image_type").asText()).isEqualTo("snapshot");
        assertThat(image.get("base_image_ref").asText()).isEqualTo(cloud.defaultImage);
        assertThat(image.get("role").asText()).as("the request's metadata").isEqualTo("router");
        assertThat(image.get("min_disk").asInt()).as("at least the flavor's disk").isEqualTo(1);
        assertThat(cloud.settled(cloud.alpha, server).get("status").asText()).isEqualTo("ACTIVE");
        assertThat(ids(cloud.image.get("/v2/images?instance_uuid=" + server + "&image_type=snapshot", cloud.alpha)
                .json().get("images"))).as("Glance's list filters by custom properties").containsExactly(imageId);
        assertThat(cloud.image.get("/v2/images?instance_uuid=another", cloud.alpha).json().get("images")).isEmpty();

        JsonNode proxied = cloud.compute.get("/images/" + imageId, cloud.alpha).json().get("image");
        assertThat(proxied.get("status").asText()).isEqualTo("ACTIVE");
        assertThat(proxied.get("progress").asInt()).isEqualTo(100);
        assertThat(proxied.at("/server/id").asText()).isEqualTo(server);
        assertThat(proxied.at("/metadata/image_type").asText()).isEqualTo("snapshot");

        Http.Reply booted = cloud.compute.post("/servers", cloud.alpha, """
                {"server": {"name": "from-snap", "imageRef": "%s", "flavorRef": "1", "networks": []}}""".formatted(imageId));
        assertThat(booted.status()).as(booted.toString()).isEqualTo(202);
        assertThat(cloud.settled(cloud.alpha, booted.json().at("/server/id").asText()).get("status").asText())
                .isEqualTo("ACTIVE");
        assertThat(cloud.image.get("/v2/images/" + imageId, cloud.beta).status()).as("private to its project")
                .isEqualTo(404);
    }

    @Test
    void aSecondSnapshotWhileTheFirstIsCopiedIsRefusedAndLeavesNoImage() {
        String first = imageId(action("{\"createImage\": {\"name\": \"first\"}}"));
        Http.Reply second = action("{\"createImage\": {\"name\": \"second\"}}");
        assertNovaError(second, 409, "conflictingRequest", "while it is in task_state image_");
        activeImage(first);
        cloud.settled(cloud.alpha, server);
        assertThat(images("?name=second").size()).isZero();
    }

    @Test
    void from2_45TheNewImagesIdIsInTheBodyAndThereIsNoLocation() {
        Http.Reply reply = cloud.compute.send("POST", "/servers/" + server + "/action", cloud.alpha,
                "{\"createImage\": {\"name\": \"snap-245\"}}", Map.of("OpenStack-API-Version", "compute 2.45"));
        assertThat(reply.status()).as(reply.toString()).isEqualTo(202);
        assertThat(reply.header("Location")).isEmpty();
        activeImage(reply.json().get("image_id").asText());
        cloud.settled(cloud.alpha, server);
    }

    @Test
    void aSnapshotOfAStoppedOrPausedServerLeavesItSo() {
        assertThat(action("{\"pause\": null}").status()).isEqualTo(202);
        assertThat(cloud.settled(cloud.alpha, server).get("status").asText()).isEqualTo("PAUSED");
        activeImage(imageId(action("{\"createImage\": {\"name\": \"paused-snap\"}}")));
        assertThat(cloud.settled(cloud.alpha, server).get("status").asText()).isEqualTo("PAUSED");
    }

    @Test
    void createImageRefusesWhatNovaRefuses() {
        assertNovaError(action("{\"createImage\": {}}"), 400, "badRequest", "name");
        assertNovaError(action("{\"createImage\": {\"name\": \" padded \"}}"), 400, "badRequest", "whitespace");
        assertNovaError(action("{\"createImage\": {\"name\": \"" + "x".repeat(256) + "\"}}"), 400, "badRequest", "name");
        assertNovaError(action("{\"createImage\": {\"name\": \"s\", \"metadata\": {\"k\": 1}}}"), 400, "badRequest",
                "metadata");
        assertNovaError(action("{\"createImage\": {\"name\": \"s\", \"colour\": \"red\"}}"), 400, "badRequest", "colour");
        assertNovaError(cloud.compute.post("/servers/" + server + "/action", cloud.beta,
                "{\"createImage\": {\"name\": \"theirs\"}}"), 404, "itemNotFound", "could not be found");
        Map<String, String> many = new java.util.LinkedHashMap<>();
        for (int i = 0; i < 129; i++) {
            many.put("k" + i, "v");
        }
        assertNovaError(action("{\"createImage\": {\"name\": \"s\", \"metadata\": "
                + dev.portside.common.json.Json.write(dev.portside.common.json.Json.tree(many)) + "}}"), 403, "forbidden",
                "metadata_items");

        assertThat(action("{\"os-stop\": null}").status()).isEqualTo(202);
        Http.Reply during = action("{\"createImage\": {\"name\": \"during-stop\"}}");
        if (during.status() == 409) {
            assertNovaError(during, 409, "conflictingRequest", "while it is in task_state powering-off");
        } else {
            // The stop finished first: the snapshot is of a stopped server.
            assertThat(during.status()).as(during.toString()).isEqualTo(202);
        }
        cloud.settled(cloud.alpha, server);
        assertThat(images("?name=s").size()).as("no image is left from a refused request").isZero();
    }

    @Test
    void createBackupKeepsTheNewestBackupsOfItsTypeAsItsRotationSays() {
        List<String> made = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            made.add(imageId(action("{\"createBackup\": {\"name\": \"daily-" + i
                    + "\", \"backup_type\": \"daily\", \"rotation\": 2}}")));
            activeOrGone(made.getLast());
            cloud.settled(cloud.alpha, server);
        }
        String weekly = imageId(action("{\"createBackup\": {\"name\": \"weekly-1\", \"backup_type\": \"weekly\","
                + " \"rotation\": \"1\"}}"));
        activeImage(weekly);
        cloud.settled(cloud.alpha, server);

        List<String> daily = new ArrayList<>();
        cloud.compute.get("/images/detail?server=" + server + "&type=backup", cloud.alpha).json().get("images")
                .forEach(i -> {
                    if (i.at("/metadata/backup_type").asText().equals("daily")) {
                        daily.add(i.get("name").asText());
                    }
                });
        assertThat(daily).as("the oldest daily backup rotated out").containsExactly("daily-3", "daily-2");
        assertThat(cloud.image.get("/v2/images/" + made.getFirst(), cloud.alpha).status()).isEqualTo(404);
        assertThat(cloud.image.get("/v2/images/" + weekly, cloud.alpha).json().get("backup_type").asText())
                .isEqualTo("weekly");

        Http.Reply none = action("{\"createBackup\": {\"name\": \"kept-by-none\", \"backup_type\": \"daily\","
                + " \"rotation\": 0}}");
        assertThat(none.status()).as(none.toString()).isEqualTo(202);
        assertThat(none.header("Location")).as("rotation 0 keeps no image to point at").isEmpty();
        cloud.settled(cloud.alpha, server);
        awaitImages("?server=" + server + "&type=backup&name=daily-3", 0);

        assertNovaError(action("{\"createBackup\": {\"name\": \"b\", \"backup_type\": \"daily\", \"rotation\": -1}}"),
                400, "badRequest", "rotation");
        assertNovaError(action("{\"createBackup\": {\"name\": \"b\", \"rotation\": 1}}"), 400, "badRequest", "backup_type");
    }

    @Test
    void theImagesProxyListsFiltersPagesAndChangesMetadataAsNovaDoes() {
        String snap = imageId(action("{\"createImage\": {\"name\": \"snap-a\"}}"));
        activeImage(snap);
        cloud.settled(cloud.alpha, server);

        JsonNode brief = cloud.compute.get("/images", cloud.alpha).json().get("images");
        assertThat(brief.findValuesAsText("name")).contains("snap-a");
        assertThat(brief.get(0).has("status")).as("the brief list").isFalse();
        assertThat(brief.get(0).at("/links/2/rel").asText()).isEqualTo("alternate");
        assertThat(ids(images("?server=" + server))).containsExactly(snap);
        assertThat(ids(images("?type=snapshot&status=ACTIVE"))).containsExactly(snap);
        assertThat(images("?name=snap-a&minDisk=2").size()).isZero();

        Http.Reply page = cloud.compute.get("/images/detail?limit=1", cloud.alpha);
        assertThat(page.json().get("images").size()).isEqualTo(1);
        assertThat(page.json().at("/images_links/0/href").asText()).contains("marker=" + snap);
        assertNovaError(cloud.compute.get("/images?marker=nope", cloud.alpha), 400, "badRequest", "marker [nope] not found");
        assertNovaError(cloud.compute.get("/images?limit=x", cloud.alpha), 400, "badRequest", "limit");

        Http.Reply merged = cloud.compute.post("/images/" + snap + "/metadata", cloud.alpha,
                "{\"metadata\": {\"os_distro\": \"debian\"}}");
        assertThat(merged.status()).as(merged.toString()).isEqualTo(200);
        assertThat(merged.json().at("/metadata/os_distro").asText()).isEqualTo("debian");
        assertThat(merged.json().at("/metadata/instance_uuid").asText()).isEqualTo(server);
        Http.Reply item = cloud.compute.send("PUT", "/images/" + snap + "/metadata/os_distro", cloud.alpha,
                "{\"meta\": {\"os_distro\": \"ubuntu\"}}");
        assertThat(item.status()).as(item.toString()).isEqualTo(200);
        assertThat(cloud.compute.get("/images/" + snap + "/metadata/os_distro", cloud.alpha).json()
                .at("/meta/os_distro").asText()).isEqualTo("ubuntu");
        assertThat(cloud.image.get("/v2/images/" + snap, cloud.alpha).json().get("os_distro").asText())
                .as("the change is the image service's").isEqualTo("ubuntu");
        assertNovaError(cloud.compute.send("PUT", "/images/" + snap + "/metadata/os_distro", cloud.alpha,
                "{\"meta\": {\"other\": \"x\"}}"), 400, "badRequest", "mismatch");
        assertThat(cloud.compute.send("DELETE", "/images/" + snap + "/metadata/os_distro", cloud.alpha, null).status())
                .isEqualTo(204);
        assertNovaError(cloud.compute.send("DELETE", "/images/" + snap + "/metadata/os_distro", cloud.alpha, null),
                404, "itemNotFound", "");
        Http.Reply replaced = cloud.compute.send("PUT", "/images/" + snap + "/metadata", cloud.alpha,
                "{\"metadata\": {\"only\": \"this\"}}");
        assertThat(replaced.json().get("metadata").size()).isEqualTo(1);

        assertNovaError(cloud.compute.get("/images/" + snap, cloud.beta), 404, "itemNotFound", "Image not found.");
        assertNovaError(cloud.compute.send("GET", "/images", cloud.alpha, null, V2_36), 404, "itemNotFound", "");
        assertThat(cloud.compute.send("DELETE", "/images/" + snap, cloud.alpha, null).status()).isEqualTo(204);
        assertThat(cloud.image.get("/v2/images/" + snap, cloud.alpha).status()).isEqualTo(404);
        assertNovaError(cloud.compute.send("DELETE", "/images/" + snap, cloud.alpha, null), 404, "itemNotFound", "");
    }

    @Test
    void shelveOffloadsTheServerKeepingItsPortsAndUnshelveBootsItAgainFromTheSnapshot() {
        String network = cloud.network(cloud.alpha, "net-shelve", "10.77.0.0/24");
        String shelved = cloud.bootOk(cloud.alpha, "edge", "[{\"uuid\": \"" + network + "\"}]");
        cloud.settled(cloud.alpha, shelved);
        String port = cloud.network.get("/v2.0/ports?device_id=" + shelved, cloud.alpha).json().at("/ports/0/id").asText();

        assertThat(action(shelved, "{\"shelve\": null}").status()).isEqualTo(202);
        JsonNode offloaded = cloud.settled(cloud.admin, shelved);
        assertThat(offloaded.get("status").asText()).isEqualTo("SHELVED_OFFLOADED");
        assertThat(offloaded.get("OS-EXT-SRV-ATTR:host").isNull()).as("no host holds it").isTrue();
        assertThat(offloaded.get("OS-EXT-STS:power_state").asInt()).isZero();
        assertThat(cloud.driver().instances("host1")).doesNotContainKey(shelved);
        JsonNode reserved = cloud.portShow(port);
        assertThat(reserved.get("device_id").asText()).as("the port stays the server's").isEqualTo(shelved);
        assertThat(reserved.get("binding:host_id").asText()).as("but bound to no host").isEmpty();
        JsonNode snapshot = images("?server=" + shelved).get(0);
        assertThat(snapshot.get("name").asText()).isEqualTo("edge-shelved");
        assertThat(snapshot.get("status").asText()).isEqualTo("ACTIVE");
        String snapshotId = snapshot.get("id").asText();
        assertNovaError(action(shelved, "{\"os-start\": null}"), 409, "conflictingRequest",
                "while it is in vm_state shelved_offloaded");
        assertNovaError(cloud.compute.post("/servers/" + shelved + "/action", cloud.admin, "{\"shelveOffload\": null}"),
                409, "conflictingRequest", "shelved_offloaded");
        assertNovaError(action(shelved, "{\"shelveOffload\": null}"), 403, "forbidden", "");

        assertThat(action(shelved, "{\"unshelve\": null}").status()).isEqualTo(202);
        JsonNode back = cloud.settled(cloud.admin, shelved);
        assertThat(back.get("status").asText()).isEqualTo("ACTIVE");
        assertThat(back.get("OS-EXT-SRV-ATTR:host").asText()).isEqualTo("host1");
        assertThat(back.at("/image/id").asText()).as("still the image it was booted from").isEqualTo(cloud.defaultImage);
        assertThat(cloud.driver().instances("host1")).containsKey(shelved);
        assertThat(cloud.portShow(port).get("binding:host_id").asText()).isEqualTo("host1");
        assertThat(cloud.image.get("/v2/images/" + snapshotId, cloud.alpha).status()).as("the snapshot is spent")
                .isEqualTo(404);
        assertNovaError(action(shelved, "{\"unshelve\": null}"), 409, "conflictingRequest", "vm_state active");
        assertNovaError(cloud.compute.send("POST", "/servers/" + shelved + "/action", cloud.alpha,
                "{\"unshelve\": {\"availability_zone\": \"elsewhere\"}}",
                Map.of("OpenStack-API-Version", "compute 2.77")), 400, "badRequest", "availability zone");
    }

    @Test
    void aLockedServerIsNotShelvedAndAShelvedServerDeletedTakesItsSnapshotWithIt() {
        assertThat(action("{\"lock\": null}").status()).isEqualTo(202);
        assertNovaError(action("{\"shelve\": null}"), 409, "conflictingRequest", "is locked");
        assertThat(action("{\"unlock\": null}").status()).isEqualTo(202);
        assertThat(action("{\"shelve\": null}").status()).isEqualTo(202);
        assertThat(cloud.settled(cloud.alpha, server).get("status").asText()).isEqualTo("SHELVED_OFFLOADED");
        String snapshotId = images("?server=" + server).get(0).get("id").asText();
        assertThat(cloud.compute.send("DELETE", "/servers/" + server, cloud.alpha, null).status()).isEqualTo(204);
        cloud.gone(cloud.alpha, server);
        assertThat(cloud.image.get("/v2/images/" + snapshotId, cloud.alpha).status()).isEqualTo(404);
    }

    private Http.Reply action(String serverId, String body) {
        return cloud.compute.post("/servers/" + serverId + "/action", cloud.alpha, body);
    }

    private Http.Reply action(String body) {
        return cloud.compute.post("/servers/" + server + "/action", cloud.alpha, body);
    }

    private static String imageId(Http.Reply reply) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(202);
        String location = reply.header("Location").orElseThrow();
        return location.substring(location.lastIndexOf('/') + 1);
    }

    private static List<String> ids(JsonNode images) {
        List<String> ids = new ArrayList<>();
        images.forEach(i -> ids.add(i.get("id").asText()));
        return ids;
    }

    private JsonNode images(String query) {
        return cloud.compute.get("/images/detail" + query, cloud.alpha).json().get("images");
    }

    private void awaitImages(String query, int count) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (images(query).size() != count) {
            assertThat(Instant.now()).as("images " + query).isBefore(deadline);
            Cloud.pause();
        }
    }

    private JsonNode activeImage(String id) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (true) {
            Http.Reply reply = cloud.image.get("/v2/images/" + id, cloud.alpha);
            assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
            if (reply.json().get("status").asText().equals("active")) {
                return reply.json();
            }
            assertThat(Instant.now()).as("image " + id + " is still " + reply.json().get("status")).isBefore(deadline);
            Cloud.pause();
        }
    }

    // A backup past its rotation may be gone as soon as it is active.
    private void activeOrGone(String id) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (true) {
            Http.Reply reply = cloud.image.get("/v2/images/" + id, cloud.alpha);
            if (reply.status() == 404 || reply.json().get("status").asText().equals("active")) {
                return;
            }
            assertThat(Instant.now()).isBefore(deadline);
            Cloud.pause();
        }
    }
}
