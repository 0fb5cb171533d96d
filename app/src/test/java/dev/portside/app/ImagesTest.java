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

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Image v2: create, upload (hashed as it streams), download, patch, delete, visibility, and Glance's errors. */
@ParameterizedClass(name = "on {0}")
@MethodSource("dev.portside.common.testing.TestDatabase#configured")
class ImagesTest {
    private static final String PATCH = "application/openstack-images-v2.1-json-patch";
    @Parameter
    TestDatabase kind;
    @TempDir
    Path dataDir;
    Cloud cloud;

    @BeforeEach
    void start() throws Exception {
        cloud = new Cloud(kind, dataDir, "");
    }

    @AfterEach
    void stop() {
        cloud.close();
    }

    private Http.Reply upload(String token, String id, byte[] data) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(imageUrl() + "/v2/images/" + id + "/file"))
                .header("X-Auth-Token", token).header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(data)).build(), HttpResponse.BodyHandlers.ofString());
        return new Http.Reply(response.statusCode(), response.headers().map(), response.body());
    }

    private byte[] download(String token, String id) throws Exception {
        HttpResponse<byte[]> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(imageUrl() + "/v2/images/" + id + "/file")).header("X-Auth-Token", token).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.body();
    }

    private String imageUrl() {
        return cloud.image.get("/versions", null).json().at("/versions/0/links/0/href").asText().replace("/v2/", "");
    }

    private static void assertGlanceError(Http.Reply reply, int status, String contains) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(status);
        assertThat(reply.json().get("code").asText()).startsWith(String.valueOf(status));
        assertThat(reply.json().get("title").asText()).isNotBlank();
        assertThat(reply.json().get("message").asText()).contains(contains);
    }

    @Test
    void anImageIsCreatedQueuedUploadedActiveAndDownloadedAsSent() throws Exception {
        Http.Reply created = cloud.image.post("/v2/images", cloud.alpha,
                "{\"name\": \"router\", \"disk_format\": \"raw\", \"container_format\": \"bare\", \"os_distro\": \"vyos\"}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        JsonNode image = created.json();
        String id = image.get("id").asText();
        assertThat(image.get("status").asText()).isEqualTo("queued");
        assertThat(image.get("visibility").asText()).isEqualTo("shared");
        assertThat(image.get("size").isNull()).isTrue();
        assertThat(image.get("os_distro").asText()).isEqualTo("vyos");
        assertThat(image.get("file").asText()).isEqualTo("/v2/images/" + id + "/file");

        byte[] data = new byte[300_000];
        new java.util.Random(7).nextBytes(data);
        assertThat(upload(cloud.alpha, id, data).status()).isEqualTo(204);

        JsonNode active = cloud.image.get("/v2/images/" + id, cloud.alpha).json();
        assertThat(active.get("status").asText()).isEqualTo("active");
        assertThat(active.get("size").asLong()).isEqualTo(data.length);
        assertThat(active.get("os_hash_algo").asText()).isEqualTo("sha512");
        assertThat(active.get("os_hash_value").asText())
                .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-512").digest(data)));
        assertThat(active.get("checksum").asText())
                .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(data)));
        assertThat(download(cloud.alpha, id)).isEqualTo(data);
        assertThat(Files.size(dataDir.resolve("images").resolve(id))).isEqualTo(data.length);
        assertGlanceError(upload(cloud.alpha, id, data), 409, "not allowed");
    }

    @Test
    void patchRenamesAndChangesVisibilityOnlyAsPolicyAllows() {
        String id = cloud.image.post("/v2/images", cloud.alpha, "{\"name\": \"a\"}").json().get("id").asText();
        Http.Reply renamed = cloud.image.send("PATCH", "/v2/images/" + id, cloud.alpha,
                "[{\"op\": \"replace\", \"path\": \"/name\", \"value\": \"b\"}, {\"op\": \"add\", \"path\": \"/hw_vif_model\", \"value\": \"virtio\"}]",
                Map.of("Content-Type", PATCH));
        assertThat(renamed.status()).as(renamed.toString()).isEqualTo(200);
        assertThat(renamed.json().get("name").asText()).isEqualTo("b");
        assertThat(renamed.json().get("hw_vif_model").asText()).isEqualTo("virtio");

        assertGlanceError(cloud.image.send("PATCH", "/v2/images/" + id, cloud.alpha,
                "[{\"op\": \"replace\", \"path\": \"/visibility\", \"value\": \"public\"}]", Map.of("Content-Type", PATCH)),
                403, "publicize_image");
        assertGlanceError(cloud.image.send("PATCH", "/v2/images/" + id, cloud.alpha,
                "[{\"op\": \"replace\", \"path\": \"/status\", \"value\": \"active\"}]", Map.of("Content-Type", PATCH)),
                403, "read-only");
        assertGlanceError(cloud.image.send("PATCH", "/v2/images/" + id, cloud.alpha,
                "[{\"op\": \"replace\", \"path\": \"/name\", \"value\": \"c\"}]"), 415, "json-patch");
        Http.Reply published = cloud.image.send("PATCH", "/v2/images/" + id, cloud.admin,
                "[{\"op\": \"replace\", \"path\": \"/visibility\", \"value\": \"public\"}]", Map.of("Content-Type", PATCH));
        assertThat(published.json().get("visibility").asText()).isEqualTo("public");
        assertThat(cloud.image.get("/v2/images/" + id, cloud.beta).status()).isEqualTo(200);
    }

    @Test
    void aProjectsImagesAreItsOwnAndBadInputIsRefusedInGlancesFormat() {
        String id = cloud.image.post("/v2/images", cloud.alpha, "{\"name\": \"private\", \"visibility\": \"private\"}")
                .json().get("id").asText();
        assertGlanceError(cloud.image.get("/v2/images/" + id, cloud.beta), 404, "No image found with ID " + id);
        assertGlanceError(cloud.image.send("DELETE", "/v2/images/" + id, cloud.beta, null), 404, "No image found");
        assertThat(cloud.image.get("/v2/images", cloud.beta).json().findValuesAsText("name"))
                .containsExactly(DefaultImage.NAME);
        assertThat(cloud.image.get("/v2/images", cloud.alpha).json().findValuesAsText("name"))
                .containsExactlyInAnyOrder("private", DefaultImage.NAME);

        assertGlanceError(cloud.image.post("/v2/images", cloud.alpha, "{\"disk_format\": \"floppy\"}"), 400, "disk_format");
        assertGlanceError(cloud.image.post("/v2/images", cloud.alpha, "{\"size\": 5}"), 403, "Attribute 'size' is read-only.");
        assertGlanceError(cloud.image.post("/v2/images", cloud.alpha, "{\"min_ram\": -1}"), 400, "min_ram");
        assertGlanceError(cloud.image.post("/v2/images", cloud.alpha, "{\"color\": 3}"), 400, "color");
        assertGlanceError(cloud.image.post("/v2/images", cloud.alpha, "{\"visibility\": \"public\"}"), 403, "publicize_image");
        assertGlanceError(cloud.image.post("/v2/images", cloud.alpha, "{\"id\": \"" + id + "\"}"), 409, "already exists");
        assertThat(cloud.image.get("/v2/images", cloud.alpha).json().get("images")).hasSize(2);

        assertThat(cloud.image.send("DELETE", "/v2/images/" + id, cloud.alpha, null).status()).isEqualTo(204);
        assertGlanceError(cloud.image.get("/v2/images/" + id, cloud.alpha), 404, "No image found");
    }

    @Test
    void aServerBootsOnlyFromAnActiveImageItMaySee() {
        String queued = cloud.image.post("/v2/images", cloud.alpha, "{\"name\": \"empty\"}").json().get("id").asText();
        Cloud.assertNovaError(cloud.compute.post("/servers", cloud.alpha, """
                {"server": {"name": "vm", "imageRef": "%s", "flavorRef": "1", "networks": []}}""".formatted(queued)),
                400, "badRequest", "Image " + queued + " is not active.");
        Cloud.assertNovaError(cloud.compute.post("/servers", cloud.beta, """
                {"server": {"name": "vm", "imageRef": "%s", "flavorRef": "1", "networks": []}}""".formatted(queued)),
                400, "badRequest", "Image " + queued + " could not be found.");
    }
}
