package dev.portside.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portside.common.testing.Http;
import dev.portside.common.testing.Keystone;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Acknowledged means durable: a client loop of creates and deletes over the four APIs records every
 * answer it got, {@code portside serve} (the embedded database, as a user runs it) is killed with
 * SIGKILL at a random moment, and after each restart every acknowledged create is there, every
 * acknowledged delete is gone, nothing is left in a transitional state (an upload cut off mid-body
 * included), and IPAM and the host's usage agree with the rows.
 */
class CrashConsistencyTest {
    private static final int ROUNDS = 10;
    private static final Map<String, String> V2_37 = Map.of("OpenStack-API-Version", "compute 2.37");
    @TempDir
    Path dataDir;

    /**
     * What the loop was told: created ids per kind, ids whose delete was acknowledged, and ids whose
     * delete was sent but never answered (the kill came first), which may or may not have happened.
     */
    record Ledger(Map<String, Set<String>> created, Set<String> deleted, Set<String> unanswered) {
        Ledger() {
            this(new ConcurrentHashMap<>(), ConcurrentHashMap.newKeySet(), ConcurrentHashMap.newKeySet());
        }

        void created(String kind, String id) {
            created.computeIfAbsent(kind, k -> ConcurrentHashMap.newKeySet()).add(id);
        }

        String kindOf(String id) {
            return created.entrySet().stream().filter(e -> e.getValue().contains(id)).map(Map.Entry::getKey)
                    .findFirst().orElseThrow();
        }

        Set<String> live(String kind) {
            Set<String> live = new HashSet<>(created.getOrDefault(kind, Set.of()));
            live.removeAll(deleted);
            return live;
        }
    }

    @Test
    void everyAcknowledgedWriteSurvivesSigkillAndNothingIsLeftHalfDone() throws Exception {
        Path config = Files.writeString(dataDir.resolveSibling(dataDir.getFileName() + ".yaml"),
                "password_hash_rounds: 4\nfake_hosts: [{name: host1, vcpus: 4096, memory_mb: 8388608, local_gb: 1000000}]\n");
        Ledger ledger = new Ledger();
        Random random = new Random(20261201);
        ServeProcess serve = new ServeProcess(dataDir, "--config", config.toString()).awaitReady();
        String password = serve.openrcVariables().get("OS_PASSWORD");
        try {
            Clients clients = new Clients(serve, password);
            String projectId = clients.identity.send("GET", "/v3/auth/tokens", clients.token, null,
                    Map.of("X-Subject-Token", clients.token)).json().at("/token/project/id").asText();
            clients.unlimited(projectId);
            String net = clients.created(clients.network.post("/v2.0/networks", clients.token,
                    "{\"network\": {\"name\": \"addressed\"}}"), "/network/id");
            clients.created(clients.network.post("/v2.0/subnets", clients.token, "{\"subnet\": {\"network_id\": \"" + net
                    + "\", \"ip_version\": 4, \"cidr\": \"10.8.0.0/16\"}}"), "/subnet/id");

            for (int round = 0; round < ROUNDS; round++) {
                AtomicBoolean running = new AtomicBoolean(true);
                Clients during = new Clients(serve, password);
                Thread loop = Thread.ofVirtual().start(() -> during.churn(ledger, net, running, new Random(random.nextLong())));
                Thread upload = Thread.ofVirtual().start(() -> during.slowUpload(ledger, running));
                Thread.sleep(600 + random.nextInt(1500));
                serve.kill();
                running.set(false);
                loop.join(10_000);
                upload.join(10_000);

                serve = serve.restart("--config", config.toString()).awaitReady();
                check(new Clients(serve, password), ledger, round);
            }
            assertThat(ledger.created().values().stream().mapToInt(Set::size).sum()).as("the loop got answers")
                    .isGreaterThan(ROUNDS * 5);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir.resolve("portside.mv.db"))))
                    .isEqualTo("rw-------");
        } finally {
            serve.close();
        }
    }

    private void check(Clients c, Ledger ledger, int round) throws Exception {
        String when = "after crash " + (round + 1);
        // Servers: recovery settles what was in flight; an acknowledged create exists in a final state,
        // an acknowledged delete finishes.
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (true) {
            List<String> unsettled = new ArrayList<>();
            for (JsonNode server : c.compute.get("/servers/detail", c.token).json().get("servers")) {
                if (server.get("status").asText().equals("BUILD") || !server.get("OS-EXT-STS:task_state").isNull()) {
                    unsettled.add(server.get("id").asText());
                }
            }
            boolean deletesDone = ledger.deleted().stream().filter(id -> ledger.created().getOrDefault("server", Set.of())
                    .contains(id)).allMatch(id -> c.compute.get("/servers/" + id, c.token).status() == 404);
            if (unsettled.isEmpty() && deletesDone) {
                break;
            }
            assertThat(Instant.now()).as(when + ": servers still in flight " + unsettled).isBefore(deadline);
            Thread.sleep(100);
        }
        // A delete the kill cut off before its answer was not acknowledged: it may have committed (a
        // server's recovery then finishes it) or not. Whichever it was, it must be all or nothing.
        for (String id : List.copyOf(ledger.unanswered())) {
            String kind = ledger.kindOf(id);
            int status = c.http(kind).get(Clients.path(kind, id), c.token).status();
            assertThat(status).as(when + ": " + kind + " " + id + " whose delete had no answer").isIn(200, 404);
            if (status == 404) {
                ledger.deleted().add(id);
            }
            ledger.unanswered().remove(id);
        }
        for (String kind : List.of("project", "network", "port", "image")) {
            for (String id : ledger.live(kind)) {
                assertThat(c.http(kind).get(Clients.path(kind, id), c.token).status()).as(when + ": " + kind + " " + id)
                        .isEqualTo(200);
            }
        }
        for (String kind : List.of("project", "network", "port", "image")) {
            for (String id : ledger.deleted()) {
                if (ledger.created().getOrDefault(kind, Set.of()).contains(id)) {
                    assertThat(c.http(kind).get(Clients.path(kind, id), c.token).status())
                            .as(when + ": deleted " + kind + " " + id).isEqualTo(404);
                }
            }
        }
        for (String id : ledger.live("server")) {
            Http.Reply reply = c.compute.get("/servers/" + id, c.token);
            assertThat(reply.status()).as(when + ": server " + id).isEqualTo(200);
            assertThat(reply.json().at("/server/status").asText()).as(when).isIn("ACTIVE", "ERROR");
        }
        // Nothing left saving, and no partial upload on disk.
        for (JsonNode image : c.image.get("/v2/images", c.token).json().get("images")) {
            assertThat(image.get("status").asText()).as(when + ": image " + image.get("id")).isNotEqualTo("saving");
        }
        try (Stream<Path> files = Files.list(dataDir.resolve("images"))) {
            assertThat(files.map(p -> p.getFileName().toString())).as(when).noneMatch(name -> name.contains(".part-"));
        }
        // IPAM matches the rows: every port's address is its own, inside the subnet.
        Set<String> addresses = new HashSet<>();
        for (JsonNode port : c.network.get("/v2.0/ports", c.token).json().get("ports")) {
            for (JsonNode ip : port.get("fixed_ips")) {
                assertThat(addresses.add(ip.get("ip_address").asText())).as(when + ": address given twice " + ip).isTrue();
                assertThat(ip.get("ip_address").asText()).startsWith("10.8.");
            }
        }
        // The host's usage is the sum of its servers.
        JsonNode hypervisor = c.compute.get("/os-hypervisors/detail", c.token).json().at("/hypervisors/0");
        int vcpus = 0;
        for (JsonNode server : c.compute.get("/servers/detail", c.token).json().get("servers")) {
            if ("host1".equals(server.path("OS-EXT-SRV-ATTR:host").asText(null))) {
                vcpus += 1;
            }
        }
        assertThat(hypervisor.get("vcpus_used").asInt()).as(when + ": host usage").isEqualTo(vcpus);
    }

    /** The four APIs of one serve process, as its admin. */
    static final class Clients {
        final Http identity;
        final Http network;
        final Http image;
        final Http compute;
        final String token;
        private final int imagePort;

        Clients(ServeProcess serve, String password) {
            this.identity = new Http(serve.url());
            this.network = new Http("http://127.0.0.1:" + serve.networkPort);
            this.image = new Http("http://127.0.0.1:" + serve.imagePort);
            this.compute = new Http("http://127.0.0.1:" + serve.computePort + "/v2.1");
            this.imagePort = serve.imagePort;
            this.token = new Keystone(identity).token("admin", password, "admin");
        }

        Http http(String kind) {
            return switch (kind) {
                case "project" -> identity;
                case "image" -> image;
                case "server" -> compute;
                default -> network;
            };
        }

        static String path(String kind, String id) {
            return switch (kind) {
                case "project" -> "/v3/projects/" + id;
                case "network" -> "/v2.0/networks/" + id;
                case "port" -> "/v2.0/ports/" + id;
                case "image" -> "/v2/images/" + id;
                default -> "/servers/" + id;
            };
        }

        String created(Http.Reply reply, String pointer) {
            assertThat(reply.status()).as(reply.toString()).isBetween(200, 299);
            return reply.json().at(pointer).asText();
        }

        void unlimited(String project) {
            assertThat(compute.send("PUT", "/os-quota-sets/" + project, token,
                    "{\"quota_set\": {\"instances\": -1, \"cores\": -1, \"ram\": -1}}").status()).isEqualTo(200);
            assertThat(network.send("PUT", "/v2.0/quotas/" + project, token,
                    "{\"quota\": {\"network\": -1, \"port\": -1}}").status()).isEqualTo(200);
        }

        /** Creates and deletes until the server dies, recording only what was acknowledged. */
        void churn(Ledger ledger, String net, AtomicBoolean running, Random random) {
            List<String[]> mine = new ArrayList<>();
            try {
                while (running.get()) {
                    int step = random.nextInt(6);
                    if (step == 5 && !mine.isEmpty()) {
                        String[] victim = mine.remove(random.nextInt(mine.size()));
                        ledger.unanswered().add(victim[1]);
                        Http.Reply reply = http(victim[0]).send("DELETE", path(victim[0], victim[1]), token, null);
                        ledger.unanswered().remove(victim[1]);
                        if (reply.status() == 204) {
                            ledger.deleted().add(victim[1]);
                        }
                        continue;
                    }
                    String kind = List.of("project", "network", "port", "image", "server").get(step % 5);
                    Http.Reply reply = switch (kind) {
                        case "project" -> identity.post("/v3/projects", token,
                                "{\"project\": {\"name\": \"crash-" + random.nextLong() + "\"}}");
                        case "network" -> network.post("/v2.0/networks", token, "{\"network\": {\"name\": \"crash\"}}");
                        case "port" -> network.post("/v2.0/ports", token, "{\"port\": {\"network_id\": \"" + net + "\"}}");
                        case "image" -> image.post("/v2/images", token, "{\"name\": \"crash\"}");
                        default -> compute.send("POST", "/servers", token, """
                                {"server": {"name": "crash", "imageRef": "%s", "flavorRef": "1", "networks": "none"}}"""
                                .formatted(defaultImage()), V2_37);
                    };
                    if (reply.status() == 201 || reply.status() == 202) {
                        String id = switch (kind) {
                            case "project" -> reply.json().at("/project/id").asText();
                            case "network" -> reply.json().at("/network/id").asText();
                            case "port" -> reply.json().at("/port/id").asText();
                            case "image" -> reply.json().get("id").asText();
                            default -> reply.json().at("/server/id").asText();
                        };
                        ledger.created(kind, id);
                        mine.add(new String[]{kind, id});
                    }
                }
            } catch (RuntimeException serverGone) {
                // The kill: every answer that arrived before it is in the ledger.
            }
        }

        private String defaultImage;

        private String defaultImage() {
            if (defaultImage == null) {
                defaultImage = image.get("/v2/images?name=" + DefaultImage.NAME, token).json().at("/images/0/id").asText();
            }
            return defaultImage;
        }

        /** An upload whose body trickles in, so that the kill lands in the middle of it. */
        void slowUpload(Ledger ledger, AtomicBoolean running) {
            try {
                Http.Reply created = image.post("/v2/images", token, "{\"name\": \"uploading\"}");
                if (created.status() != 201) {
                    return;
                }
                String id = created.json().get("id").asText();
                ledger.created("image", id);
                try (Socket socket = new Socket("127.0.0.1", imagePort)) {
                    OutputStream out = socket.getOutputStream();
                    out.write(("PUT /v2/images/" + id + "/file HTTP/1.1\r\nHost: x\r\nX-Auth-Token: " + token
                            + "\r\nContent-Type: application/octet-stream\r\nContent-Length: 100000000\r\n\r\n")
                            .getBytes(StandardCharsets.ISO_8859_1));
                    byte[] chunk = new byte[4096];
                    while (running.get()) {
                        out.write(chunk);
                        out.flush();
                        Thread.sleep(5);
                    }
                }
            } catch (IOException | RuntimeException serverGone) {
                // The kill cut the upload off, which is the point.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
