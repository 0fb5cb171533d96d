package dev.portside.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portside.common.json.Json;
import dev.portside.common.testing.Http;
import dev.portside.common.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operator's endpoints of a running Portside: /metrics, scraped before and after the test's own
 * requests and read with the Prometheus project's parser, moves by exactly what the test did;
 * /healthz answers while the database does, and says so when it does not; the page's pass-through
 * reads the public APIs as its user and writes nothing. (The page itself, in a browser, on real
 * instances: {@link SpecScenarioTest}.)
 */
class OperatorTest {
    @TempDir
    Path dataDir;
    Cloud cloud;

    /** One sample of a scrape. */
    record Sample(String name, Map<String, String> labels, double value) {
    }

    @AfterEach
    void stop() {
        if (cloud != null) {
            cloud.close();
        }
    }

    @ParameterizedTest
    @MethodSource("dev.portside.common.testing.TestDatabase#configured")
    void metricsMoveByTheRequestsBuildsServersAndPortsTheTestMade(TestDatabase kind) throws Exception {
        cloud = new Cloud(kind, dataDir, "");
        List<Sample> before = scrape();

        String network = cloud.network(cloud.alpha, "metered");
        cloud.network(cloud.alpha, "metered-too");
        Http.Reply missing = cloud.network.get("/v2.0/networks/00000000-0000-0000-0000-00000000dead", cloud.alpha);
        assertThat(missing.status()).isEqualTo(404);
        cloud.port(cloud.alpha, network, "\"fixed_ips\": []");
        String server = cloud.bootOk(cloud.alpha, "metered-vm", "[{\"uuid\": \"" + cloud.network(cloud.alpha,
                "metered-mgmt", "10.77.0.0/24") + "\"}]");
        assertThat(cloud.settled(cloud.alpha, server).get("status").asText()).isEqualTo("ACTIVE");
        List<Sample> after = scrape();

        Map<String, String> created = Map.of("service", "network", "route", "/v2.0/networks", "method", "POST",
                "status", "201");
        assertThat(value(after, "portside_http_requests_seconds_count", created)
                - value(before, "portside_http_requests_seconds_count", created))
                .as("the three networks the test made").isEqualTo(3);
        List<Sample> notFound = after.stream().filter(s -> s.name().equals("portside_http_requests_seconds_count")
                && s.labels().get("service").equals("network") && s.labels().get("status").equals("404")).toList();
        assertThat(notFound).hasSize(1);
        assertThat(notFound.getFirst().value()).isEqualTo(1);
        assertThat(notFound.getFirst().labels().get("route")).as("the route's pattern, not the id")
                .doesNotContain("dead").startsWith("/v2.0/networks/");
        assertThat(value(after, "portside_server_builds_seconds_count", Map.of("result", "active"))
                - value(before, "portside_server_builds_seconds_count", Map.of("result", "active"))).isEqualTo(1);
        assertThat(value(after, "portside_servers", Map.of("vm_state", "active"))).isEqualTo(1);
        assertThat(value(after, "portside_ports", Map.of("status", "DOWN", "ip_allocation", "none")))
                .as("the unaddressed port, bound nowhere").isEqualTo(1);
        assertThat(value(after, "portside_ports", Map.of("status", "ACTIVE", "ip_allocation", "immediate")))
                .as("the server's port").isEqualTo(1);
    }

    @ParameterizedTest
    @MethodSource("dev.portside.common.testing.TestDatabase#configured")
    void healthSaysWhetherTheDatabaseAnswers(TestDatabase kind) throws Exception {
        cloud = new Cloud(kind, dataDir, "");
        Http.Reply healthy = cloud.operator.get("/healthz", null);
        assertThat(healthy.status()).isEqualTo(200);
        assertThat(healthy.json().get("status").asText()).isEqualTo("ok");
        Http.Reply unknown = cloud.operator.get("/nothing-here", null);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().at("/error/code").asInt()).as("JSON, not the server's HTML").isEqualTo(404);

        cloud.loseDatabase();
        Http.Reply sick = cloud.operator.get("/healthz", null);
        assertThat(sick.status()).isEqualTo(503);
        assertThat(sick.json().get("status").asText()).isEqualTo("unavailable");
    }

    @ParameterizedTest
    @MethodSource("dev.portside.common.testing.TestDatabase#configured")
    void thePageReadsThePublicApisWithItsUsersTokenAndCannotChangeAnything(TestDatabase kind) throws Exception {
        cloud = new Cloud(kind, dataDir, "");
        Http.Reply page = cloud.operator.get("/", null);
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.header("Content-Type").orElseThrow()).startsWith("text/html");
        assertThat(page.text()).contains("<script src=\"page.js\">");
        assertThat(cloud.operator.get("/page.js", null).status()).isEqualTo(200);

        String mine = cloud.network(cloud.alpha, "alphas");
        cloud.network(cloud.beta, "betas");
        Http.Reply through = cloud.operator.get("/api/network/v2.0/networks", cloud.alpha);
        assertThat(through.status()).isEqualTo(200);
        assertThat(through.json().findValuesAsText("id"))
                .isEqualTo(cloud.network.get("/v2.0/networks", cloud.alpha).json().findValuesAsText("id"))
                .contains(mine);
        assertThat(through.json().findValuesAsText("name")).doesNotContain("betas");
        Http.Reply anonymous = cloud.operator.get("/api/network/v2.0/networks", null);
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(cloud.operator.get("/api/compute/v2.1/servers?all_tenants=1", cloud.alpha).status())
                .as("the API's own policy applies").isEqualTo(403);
        assertThat(cloud.operator.get("/api/nowhere/v1/things", cloud.alpha).status()).isEqualTo(404);
        Http.Reply encoded = cloud.operator.get("/api/network/v2.0/networks/a%20b%7C", cloud.alpha);
        assertThat(encoded.status()).as("passed on as encoded: the network service's own 404").isEqualTo(404);
        assertThat(encoded.json().at("/NeutronError/type").asText()).isEqualTo("NetworkNotFound");

        // Read only: the page's own token may be issued and revoked, nothing else written.
        assertThat(cloud.operator.send("DELETE", "/api/network/v2.0/networks/" + mine, cloud.alpha, null).status())
                .isEqualTo(405);
        assertThat(cloud.operator.post("/api/network/v2.0/networks", cloud.alpha, "{\"network\": {}}").status())
                .isEqualTo(405);
        assertThat(cloud.network.get("/v2.0/networks", cloud.alpha).json().findValuesAsText("id"))
                .as("nothing made or deleted").isEqualTo(through.json().findValuesAsText("id"));
        Http.Reply issued = cloud.operator.post("/api/identity/v3/auth/tokens", null, "{\"auth\": {\"identity\": {"
                + "\"methods\": [\"token\"], \"token\": {\"id\": \"" + cloud.alpha + "\"}}}}");
        assertThat(issued.status()).isEqualTo(201);
        String token = issued.header("X-Subject-Token").orElseThrow();
        assertThat(cloud.operator.send("DELETE", "/api/identity/v3/auth/tokens", token, null,
                Map.of("X-Subject-Token", token)).status()).isEqualTo(204);
        assertThat(cloud.network.get("/v2.0/networks", token).status()).isEqualTo(401);

        // The counters need a token; the fake driver's ports have no devices to count.
        assertThat(cloud.operator.get("/v1/port-counters", null).status()).isEqualTo(401);
        Http.Reply counters = cloud.operator.get("/v1/port-counters", cloud.alpha);
        assertThat(counters.status()).isEqualTo(200);
        assertThat(counters.json().get("port_counters")).isEmpty();
    }

    private static double value(List<Sample> samples, String name, Map<String, String> labels) {
        return samples.stream().filter(s -> s.name().equals(name)
                        && labels.entrySet().stream().allMatch(e -> e.getValue().equals(s.labels().get(e.getKey()))))
                .mapToDouble(Sample::value).sum();
    }

    // /metrics, read by the Prometheus project's own parser (which fails on text it refuses).
    private List<Sample> scrape() throws IOException, InterruptedException {
        Http.Reply reply = cloud.operator.get("/metrics", null);
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.header("Content-Type").orElseThrow()).startsWith("text/plain");
        return parse(reply.text());
    }

    static List<Sample> parse(String exposition) throws IOException, InterruptedException {
        Path script = Files.createTempFile("metrics", ".py");
        try (InputStream in = OperatorTest.class.getResourceAsStream("/metrics.py")) {
            Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
        }
        Process python = new ProcessBuilder("/usr/bin/python3", script.toString()).start();
        try (var stdin = python.getOutputStream()) {
            stdin.write(exposition.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(python.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(python.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(python.exitValue()).as("the Prometheus parser read /metrics: " + err).isZero();
        Files.delete(script);
        List<Sample> samples = new ArrayList<>();
        for (String line : out.lines().toList()) {
            JsonNode sample = Json.MAPPER.readTree(line);
            Map<String, String> labels = new java.util.HashMap<>();
            sample.get("labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
            samples.add(new Sample(sample.get("name").asText(), labels, sample.get("value").asDouble()));
        }
        return samples;
    }
}
