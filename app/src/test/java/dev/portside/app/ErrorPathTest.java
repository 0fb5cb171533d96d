package dev.portside.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portside.common.json.Json;
import dev.portside.common.testing.Http;
import dev.portside.common.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.portside.app.Cloud.assertNovaError;
import static dev.portside.app.QuotasTest.assertNeutronError;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * One error path: whatever a client sends - a framing or header Jetty refuses, a microversion past
 * any integer, a body shorter than it said, a NUL or control character in a name, a malformed
 * If-Match, an unknown sort key or marker, a delete racing the creates that need what it deletes - the
 * answer is a 4xx in that API's own error format, never a 5xx and never the HTTP server's HTML.
 */
@ParameterizedClass(name = "on {0}")
@MethodSource("dev.portside.common.testing.TestDatabase#configured")
class ErrorPathTest {
    @Parameter
    TestDatabase kind;
    @TempDir
    java.nio.file.Path dataDir;
    Cloud cloud;

    @AfterEach
    void stop() {
        cloud.close();
    }

    @Test
    void malformedRequestsTheHttpServerRefusesAreAnsweredInEachApisFormatWithA4xx() throws Exception {
        cloud = new Cloud(kind, dataDir, "");
        Map<String, URI> services = Map.of("identity", uri(cloud.identity), "network", uri(cloud.network),
                "image", uri(cloud.image), "compute", uri(cloud.compute));
        List<String> requests = List.of(
                "GET /%00 HTTP/1.1\r\nHost: x\r\n\r\n",
                "GET /a/../../etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n",
                "GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(20_000) + "\r\n\r\n",
                "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
                "GET /\u0001 HTTP/1.1\r\nHost: x\r\n\r\n",
                "GET / HTTP/1.1\r\nHost: x\r\nX-Bell: a\u0007b\r\n\r\n",
                "GET / HTTP/9.9\r\nHost: x\r\n\r\n",
                "POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n",
                "NOT-HTTP\r\n\r\n");
        for (var service : services.entrySet()) {
            for (String request : requests) {
                Raw reply = raw(service.getValue(), request.getBytes(StandardCharsets.ISO_8859_1));
                String what = service.getKey() + " <- " + request.substring(0, Math.min(40, request.length()));
                assertThat(reply.status()).as(what + ": " + reply).isBetween(400, 499);
                assertThat(reply.contentType()).as(what).startsWith("application/json");
                JsonNode body = Json.MAPPER.readTree(reply.body());
                assertThat(FuzzTest.inFormat(service.getKey(), body, reply.status())).as(what + ": " + reply.body()).isTrue();
            }
        }
    }

    @Test
    void aMicroversionPastAnyIntegerIsNotAcceptableNotAServerError() throws Exception {
        cloud = new Cloud(kind, dataDir, "");
        for (String version : List.of("compute 2.99999999999999999999", "compute 99999999999999999999.1")) {
            Http.Reply reply = cloud.compute.send("GET", "/servers", cloud.alpha, null, Map.of("OpenStack-API-Version", version));
            assertThat(reply.status()).as(reply.toString()).isEqualTo(406);
        }
        assertNovaError(cloud.compute.send("GET", "/servers", cloud.alpha, null,
                Map.of("X-OpenStack-Nova-API-Version", "2.x")), 400, "badRequest", "Invalid API version request string");
    }

    @Test
    void anUploadWhoseBodyEndsBeforeItsContentLengthIsA400AndTheImageStaysQueued() throws Exception {
        cloud = new Cloud(kind, dataDir, "");
        String id = cloud.image.post("/v2/images", cloud.alpha, "{\"name\": \"short\"}").json().get("id").asText();
        String request = "PUT /v2/images/" + id + "/file HTTP/1.1\r\nHost: x\r\nX-Auth-Token: " + cloud.alpha
                + "\r\nContent-Type: application/octet-stream\r\nContent-Length: 100000\r\nConnection: close\r\n\r\nonly this";
        // The client sends less than it announced and closes its side: the server must not call that a bug.
        Raw reply = raw(uri(cloud.image), request.getBytes(StandardCharsets.ISO_8859_1), true);
        if (reply.status() != 0) {
            assertThat(reply.status()).as(reply.toString()).isBetween(400, 499);
        }
        JsonNode image = awaitStatus(id, "queued");
        assertThat(image.get("status").asText()).isEqualTo("queued");
        Http.Reply retry = cloud.image.send("PUT", "/v2/images/" + id + "/file", cloud.alpha, "whole",
                Map.of("Content-Type", "application/octet-stream"));
        assertThat(retry.status()).as(retry.toString()).isEqualTo(204);
    }

    private JsonNode awaitStatus(String id, String status) throws InterruptedException {
        JsonNode image = null;
        for (int i = 0; i < 200; i++) {
            image = cloud.image.get("/v2/images/" + id, cloud.alpha).json();
            if (image.get("status").asText().equals(status)) {
                return image;
            }
            Thread.sleep(25);
        }
        return image;
    }

    @Test
    void nulAndControlCharactersInNamesAreRefusedByEveryApi() throws Exception {
        cloud = new Cloud(kind, dataDir, "");
        for (String name : List.of("a\\u0000b", "a\\u001b[31mb", "line\\nbreak")) {
            Http.Reply project = cloud.identity.post("/v3/projects", cloud.admin, "{\"project\": {\"name\": \"" + name + "\"}}");
            assertThat(project.status()).as(project.toString()).isEqualTo(400);
            assertThat(project.json().at("/error/code").asInt()).isEqualTo(400);
            assertNeutronError(cloud.network.post("/v2.0/networks", cloud.alpha, "{\"network\": {\"name\": \"" + name + "\"}}"),
                    400, "HTTPBadRequest", "");
            Http.Reply image = cloud.image.post("/v2/images", cloud.alpha, "{\"name\": \"" + name + "\"}");
            assertThat(image.status()).as(image.toString()).isEqualTo(400);
            assertThat(image.json().get("code").asText()).isEqualTo("400 Bad Request");
            assertNovaError(cloud.compute.post("/servers", cloud.alpha, """
                    {"server": {"name": "%s", "imageRef": "%s", "flavorRef": "1", "networks": []}}"""
                    .formatted(name, cloud.defaultImage)), 400, "badRequest", "");
        }
        // A NUL anywhere else in a body too: PostgreSQL could not store it.
        assertNeutronError(cloud.network.post("/v2.0/networks", cloud.alpha,
                "{\"network\": {\"name\": \"ok\", \"description\": \"a\\u0000\"}}"), 400, "HTTPBadRequest", "NUL");
        assertThat(cloud.network.get("/v2.0/networks", cloud.alpha).json().findValuesAsText("name"))
                .as("none of them was made: alpha sees only the external network").containsExactly("public");
        assertThat(cloud.image.get("/v2/images?visibility=private", cloud.alpha).json().get("images")).isEmpty();
    }

    @Test
    void aMalformedIfMatchIsRefusedAndChangesNothing() throws Exception {
        cloud = new Cloud(kind, dataDir, "");
        String net = cloud.network(cloud.alpha, "before");
        for (String ifMatch : List.of("revision_number=abc", "revision_number=99999999999999999999999", "*", "\"etag\"")) {
            assertNeutronError(cloud.network.send("PUT", "/v2.0/networks/" + net, cloud.alpha,
                            "{\"network\": {\"name\": \"after\"}}", Map.of("If-Match", ifMatch)), 400, "HTTPBadRequest",
                    "If-Match");
        }
        assertThat(cloud.network.get("/v2.0/networks/" + net, cloud.alpha).json().at("/network/name").asText())
                .isEqualTo("before");
        Http.Reply matching = cloud.network.send("PUT", "/v2.0/networks/" + net, cloud.alpha,
                "{\"network\": {\"name\": \"after\"}}", Map.of("If-Match", "revision_number=1"));
        assertThat(matching.status()).as(matching.toString()).isEqualTo(200);
    }

    @Test
    void anUnknownSortKeyOrMarkerIsABadRequestAsInNeutron() throws Exception {
        cloud = new Cloud(kind, dataDir, "");
        cloud.network(cloud.alpha, "one");
        assertNeutronError(cloud.network.get("/v2.0/networks?sort_key=bogus", cloud.alpha), 400, "HTTPBadRequest",
                "'bogus' is an invalid attribute for sort_key");
        assertNeutronError(cloud.network.get("/v2.0/networks?limit=1&marker=00000000-0000-0000-0000-000000000000",
                cloud.alpha), 400, "HTTPBadRequest", "Marker 00000000-0000-0000-0000-000000000000 could not be found.");
        assertThat(cloud.network.get("/v2.0/networks?sort_key=name&sort_dir=desc", cloud.alpha).status()).isEqualTo(200);
    }

    @Test
    void aSubnetDeleteRacingPortCreatesNeverAnswersAServerError() throws Exception {
        cloud = new Cloud(kind, dataDir, "");
        ExecutorService pool = Executors.newFixedThreadPool(5);
        try {
            for (int round = 0; round < 40; round++) {
                String net = cloud.network(cloud.alpha, "race-" + round);
                String subnet = cloud.network.post("/v2.0/subnets", cloud.alpha, "{\"subnet\": {\"network_id\": \"" + net
                        + "\", \"ip_version\": 4, \"cidr\": \"10.7.0.0/24\"}}").json().at("/subnet/id").asText();
                List<Callable<Http.Reply>> calls = new ArrayList<>();
                calls.add(() -> cloud.network.send("DELETE", "/v2.0/subnets/" + subnet, cloud.alpha, null));
                for (int i = 0; i < 4; i++) {
                    calls.add(() -> cloud.network.post("/v2.0/ports", cloud.alpha, "{\"port\": {\"network_id\": \"" + net
                            + "\", \"fixed_ips\": [{\"subnet_id\": \"" + subnet + "\"}]}}"));
                }
                for (Future<Http.Reply> reply : pool.invokeAll(calls)) {
                    assertThat(reply.get().status()).as(reply.get().toString()).isLessThan(500);
                    assertThat(reply.get().status() < 400 || reply.get().json().has("NeutronError"))
                            .as(reply.get().toString()).isTrue();
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static URI uri(Http http) throws Exception {
        var field = Http.class.getDeclaredField("baseUrl");
        field.setAccessible(true);
        return URI.create((String) field.get(http));
    }

    record Raw(int status, String contentType, String body) {
    }

    private static Raw raw(URI service, byte[] request) throws IOException {
        return raw(service, request, false);
    }

    // A request as bytes on a socket: the JDK's client would refuse to send most of these.
    private static Raw raw(URI service, byte[] request, boolean halfClose) throws IOException {
        try (Socket socket = new Socket(service.getHost(), service.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(request);
            out.flush();
            if (halfClose) {
                socket.shutdownOutput();
            }
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            try {
                in.transferTo(all);
            } catch (java.net.SocketTimeoutException | java.net.SocketException e) {
                // What arrived is the answer; Jetty may reset after answering a request it will not read.
            }
            String text = all.toString(StandardCharsets.UTF_8);
            if (text.isEmpty()) {
                return new Raw(0, "", "");
            }
            int headerEnd = text.indexOf("\r\n\r\n");
            String head = text.substring(0, headerEnd);
            int status = Integer.parseInt(head.split(" ")[1]);
            String type = head.lines().filter(l -> l.toLowerCase().startsWith("content-type:"))
                    .map(l -> l.substring(13).trim()).findFirst().orElse("");
            return new Raw(status, type, text.substring(headerEnd + 4));
        }
    }
}
