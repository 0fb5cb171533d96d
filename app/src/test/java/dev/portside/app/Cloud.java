package dev.portside.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portside.common.testing.Http;
import dev.portside.common.testing.Keystone;
import dev.portside.common.testing.TestDatabase;
import dev.portside.compute.virt.FakeDriver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole Portside in this JVM for one functional test: every service on a free port over a fresh
 * database, the fake virt driver with the hosts {@code config} names (YAML, as in a config file),
 * the admin, and two projects ("alpha", "beta") each with a member.
 */
final class Cloud implements AutoCloseable {
    final Http identity;
    final Http network;
    final Http image;
    final Http compute;
    /** The compute endpoint's root, where version discovery lives. */
    final Http computeRoot;
    /** The operator's endpoints: /metrics, /healthz. */
    final Http operator;
    final String admin;
    final String alpha;
    final String beta;
    final String defaultImage;
    private final String adminPassword;
    private final Settings settings;
    private Portside portside;
    private final TestDatabase.Instance database;

    Cloud(TestDatabase kind, Path dataDir, String config) throws IOException {
        this.database = kind.create();
        Files.createDirectories(dataDir);
        Path file = dataDir.resolve("portside.yaml");
        // Functional tests run on the fake driver unless they ask for real instances.
        Files.writeString(file, "password_hash_rounds: 4\n" + (config.contains("compute_driver") ? "" : "compute_driver: fake\n")
                + config);
        this.settings = Settings.resolve(Settings.File.read(file), new Settings.Flags(Optional.of(dataDir),
                Optional.empty(), Optional.empty(), Optional.of(Http.freePort()), Optional.of(Http.freePort()),
                Optional.of(Http.freePort()), Optional.of(Http.freePort()), Optional.of(Http.freePort()), false));
        this.portside = Portside.start(settings, Clock.systemUTC(), database.database());
        this.identity = new Http(settings.identityUrl());
        this.network = new Http(settings.networkUrl());
        this.image = new Http(settings.imageUrl());
        this.compute = new Http(settings.computeUrl() + "/v2.1");
        this.computeRoot = new Http(settings.computeUrl());
        this.operator = new Http(settings.url(settings.operator().orElseThrow().port()));
        var openrc = Files.readAllLines(portside.openrc()).stream().filter(l -> l.contains("OS_PASSWORD="))
                .map(l -> l.substring(l.indexOf('=') + 1).replace("'", "")).findFirst().orElseThrow();
        Keystone keystone = new Keystone(identity);
        this.adminPassword = openrc;
        this.admin = keystone.token("admin", openrc, "admin");
        this.alpha = keystone.member(admin, "alpha");
        this.beta = keystone.member(admin, "beta");
        this.defaultImage = image.get("/v2/images?name=" + DefaultImage.NAME, admin).json().at("/images/0/id").asText();
    }

    /** Every route of the four APIs, as their servers registered them, keyed by service. */
    java.util.Map<String, java.util.List<dev.portside.common.http.ApiServer.Route>> routes() {
        java.util.Map<String, java.util.List<dev.portside.common.http.ApiServer.Route>> routes = new java.util.LinkedHashMap<>();
        portside.servers().forEach(server -> routes.put(server.service(), server.routes()));
        return routes;
    }

    /** Stops this Portside and starts it again on the same data and ports, as after a restart of the service. */
    void restart() throws IOException {
        portside.close();
        portside = Portside.start(settings, Clock.systemUTC(), database.reopen());
    }

    /** A new token of the admin's, for a test that may revoke the one it uses. */
    String freshAdminToken() {
        return new Keystone(identity).token("admin", adminPassword, "admin");
    }

    FakeDriver driver() {
        return (FakeDriver) portside.driver();
    }

    /** A network with one IPv4 subnet; returns the network's id. */
    String network(String token, String name, String cidr) {
        String id = network(token, name);
        Http.Reply subnet = network.post("/v2.0/subnets", token, "{\"subnet\": {\"network_id\": \"" + id
                + "\", \"ip_version\": 4, \"cidr\": \"" + cidr + "\"}}");
        assertThat(subnet.status()).as(subnet.toString()).isEqualTo(201);
        return id;
    }

    String network(String token, String name) {
        Http.Reply reply = network.post("/v2.0/networks", token, "{\"network\": {\"name\": \"" + name + "\"}}");
        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        return reply.json().at("/network/id").asText();
    }

    /**
     * Lets IPv4 traffic matching {@code match} (JSON members, e.g. {@code "protocol": "icmp"}) into the
     * project's default group (made on listing, as in Neutron), as a user sets it up to reach instances.
     */
    void allowIngress(String token, String match) {
        String group = network.get("/v2.0/security-groups?name=default", token).json()
                .at("/security_groups/0/id").asText();
        Http.Reply rule = network.post("/v2.0/security-group-rules", token, "{\"security_group_rule\": {"
                + "\"security_group_id\": \"" + group + "\", \"direction\": \"ingress\", \"ethertype\": \"IPv4\", "
                + match + "}}");
        assertThat(rule.status()).as(rule.toString()).isEqualTo(201);
    }

    /** A port on a network; {@code attributes} is more JSON members, e.g. {@code "fixed_ips": []}. */
    String port(String token, String networkId, String attributes) {
        Http.Reply reply = network.post("/v2.0/ports", token, "{\"port\": {\"network_id\": \"" + networkId + "\""
                + (attributes.isEmpty() ? "" : ", " + attributes) + "}}");
        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        return reply.json().at("/port/id").asText();
    }

    JsonNode portShow(String portId) {
        Http.Reply reply = network.get("/v2.0/ports/" + portId, admin);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return reply.json().get("port");
    }

    /** POSTs a server with {@code networks} (JSON) and the default image and m1.tiny; returns the reply. */
    Http.Reply boot(String token, String name, String networks) {
        return compute.post("/servers", token, """
                {"server": {"name": "%s", "imageRef": "%s", "flavorRef": "1", "networks": %s}}"""
                .formatted(name, defaultImage, networks));
    }

    String bootOk(String token, String name, String networks) {
        Http.Reply reply = boot(token, name, networks);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(202);
        return reply.json().at("/server/id").asText();
    }

    /** Waits until the server leaves BUILD (and any task); returns it as its owner sees it. */
    JsonNode settled(String token, String serverId) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (Instant.now().isBefore(deadline)) {
            Http.Reply reply = compute.get("/servers/" + serverId, token);
            assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
            JsonNode server = reply.json().get("server");
            if (!server.get("status").asText().equals("BUILD") && server.get("OS-EXT-STS:task_state").isNull()) {
                return server;
            }
            pause();
        }
        throw new AssertionError("server " + serverId + " is still building");
    }

    /** Waits until the server is gone (404). */
    void gone(String token, String serverId) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (Instant.now().isBefore(deadline)) {
            if (compute.get("/servers/" + serverId, token).status() == 404) {
                return;
            }
            pause();
        }
        throw new AssertionError("server " + serverId + " was not deleted");
    }

    static void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    static void assertNovaError(Http.Reply reply, int status, String fault, String messageContains) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(status);
        assertThat(reply.json().at("/" + fault + "/code").asInt()).as(reply.toString()).isEqualTo(status);
        assertThat(reply.json().at("/" + fault + "/message").asText()).as(reply.toString()).contains(messageContains);
    }

    /** Closes the database under the running Portside, as when the database server goes away. */
    void loseDatabase() {
        database.database().close();
    }

    /** Deletes every server, so that real instances do not outlive the test that made them. */
    void deleteAllServers() {
        for (JsonNode server : compute.get("/servers?all_tenants=1", admin).json().path("servers")) {
            String id = server.get("id").asText();
            compute.send("DELETE", "/servers/" + id, admin, null);
            gone(admin, id);
        }
    }

    @Override
    public void close() {
        try {
            deleteAllServers();
        } finally {
            portside.close();
            database.close();
        }
    }
}
