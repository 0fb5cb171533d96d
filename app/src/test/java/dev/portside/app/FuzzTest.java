package dev.portside.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.portside.common.http.ApiServer;
import dev.portside.common.json.Json;
import dev.portside.common.testing.Http;
import dev.portside.common.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Generated malformed requests at every route of the four APIs - bodies of the wrong shape, type or
 * size, truncated JSON, odd query strings, microversions, content types, If-Match values, tokens
 * valid and not, path parameters real and not - and not one may answer 5xx or an error body other
 * than that API's own format. Bounded in tries and in time; each run draws a new seed, printed with
 * any failure, and {@code -Dportside.fuzz.seed=N} replays it. Run on one database: it is about the
 * HTTP layer, not storage.
 */
class FuzzTest {
    private static final int TRIES = 2500;
    private static final Duration BUDGET = Duration.ofSeconds(90);
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Pattern PARAMETER = Pattern.compile("\\{[^}]+}");

    static Cloud cloud;
    static List<Target> targets;
    static List<String> ids;

    record Target(String service, Http http, String method, String path) {
    }

    record Fuzzed(Target target, String path, Map<String, String> headers, String token, String body) {
        @Override
        public String toString() {
            return target.method() + " " + target.service() + " " + path + " headers=" + headers + " token="
                    + (token == null ? "none" : token.length() > 12 ? "valid" : token) + " body="
                    + (body == null ? "none" : body.length() > 300 ? body.substring(0, 300) + "..." : body);
        }
    }

    @BeforeAll
    static void start() throws IOException {
        Path dataDir = Files.createTempDirectory("portside-fuzz");
        cloud = new Cloud(new TestDatabase("h2", ""), dataDir, "fake_hosts: [{name: host1}]\n");
        String net = cloud.network(cloud.alpha, "fuzz", "10.5.0.0/24");
        String port = cloud.port(cloud.alpha, net, "\"fixed_ips\": []");
        String server = cloud.bootOk(cloud.alpha, "fuzz", "[{\"uuid\": \"" + net + "\"}]");
        cloud.settled(cloud.alpha, server);
        String image = cloud.image.post("/v2/images", cloud.alpha, "{\"name\": \"fuzz\"}").json().get("id").asText();
        String group = cloud.network.post("/v2.0/security-groups", cloud.alpha, "{\"security_group\": {\"name\": \"f\"}}")
                .json().at("/security_group/id").asText();
        String project = cloud.identity.get("/v3/projects?name=alpha", cloud.admin).json().at("/projects/0/id").asText();
        ids = List.of(net, port, server, image, group, project);
        Map<String, Http> https = Map.of("identity", cloud.identity, "network", cloud.network, "image", cloud.image,
                "compute", cloud.computeRoot);
        targets = new ArrayList<>();
        cloud.routes().forEach((service, routes) -> {
            for (ApiServer.Route route : routes) {
                targets.add(new Target(service, https.get(service), route.method(), route.path()));
            }
        });
    }

    @AfterAll
    static void stop() {
        cloud.close();
    }

    @Test
    void noGeneratedRequestIsAnsweredWithAServerErrorOrAnotherFormatsBody() throws Exception {
        long seed = Long.getLong("portside.fuzz.seed", new Random().nextLong());
        Random random = new Random(seed);
        Instant deadline = Instant.now().plus(BUDGET);
        int sent = 0;
        while (sent < TRIES && Instant.now().isBefore(deadline)) {
            Fuzzed request = generate(random);
            Http.Reply reply = request.target().http().send(request.target().method(), request.path(), request.token(),
                    request.body(), request.headers());
            String what = "seed " + seed + ", request " + sent + ": " + request + " -> " + reply;
            assertThat(reply.status()).as(what).isLessThan(500);
            if (reply.status() >= 400 && !request.target().method().equals("HEAD")) {
                assertThat(reply.header("Content-Type").orElse("")).as(what).startsWith("application/json");
                assertThat(inFormat(request.target().service(), Json.MAPPER.readTree(reply.text()), reply.status()))
                        .as(what).isTrue();
            }
            sent++;
        }
        assertThat(sent).as("requests sent within the time budget").isGreaterThan(200);
    }

    static boolean inFormat(String service, JsonNode body, int status) {
        return switch (service) {
            case "identity" -> body.at("/error/code").asInt() == status;
            case "network" -> body.at("/NeutronError/type").isTextual() && body.at("/NeutronError/message").isTextual();
            case "image" -> body.path("code").asText().startsWith(String.valueOf(status));
            default -> body.size() == 1 && body.elements().next().path("code").asInt() == status;
        };
    }

    private static Fuzzed generate(Random random) {
        Target target = pick(random, targets);
        boolean hasBody = !target.method().equals("GET") && !target.method().equals("HEAD");
        return new Fuzzed(target, path(random, target.path()) + query(random), headers(random), token(random),
                hasBody ? body(random) : null);
    }

    // A path parameter is usually a real resource id (so handlers run past their lookups), else something odd.
    private static String path(Random random, String template) {
        Matcher matcher = PARAMETER.matcher(template);
        StringBuilder path = new StringBuilder();
        while (matcher.find()) {
            String value = random.nextInt(3) < 2 ? pick(random, ids) : pick(random, List.of(text(random, 40),
                    "x".repeat(300), "-1", "0", "%", "..", "default", "99999999999999999999", "null", "detail", "action"));
            matcher.appendReplacement(path, Matcher.quoteReplacement(encode(value)));
        }
        matcher.appendTail(path);
        return path.toString();
    }

    private static String query(Random random) {
        int pairs = random.nextInt(5);
        if (pairs == 0) {
            return "";
        }
        List<String> query = new ArrayList<>();
        for (int i = 0; i < pairs; i++) {
            String key = pick(random, List.of("limit", "marker", "sort_key", "sort_dir", "fields", "name", "tags",
                    "tags-any", "not-tags", "all_tenants", "page_reverse", "fixed_ips", "visibility", "status", "owner",
                    "user_id", "changes-since", "project_id", "shared", "admin_state_up", "id", "type", text(random, 8)));
            String value = random.nextBoolean() ? text(random, 30) : pick(random, List.of("-1", "0",
                    "99999999999999999999", "true", "asc", "desc", "id", "name", "ip_address=10.5.0.1", "", "1.5"));
            query.add(encode(key) + "=" + encode(value));
        }
        return "?" + String.join("&", query);
    }

    private static Map<String, String> headers(Random random) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (random.nextBoolean()) {
            headers.put("OpenStack-API-Version", visible(random, List.of("compute 2.99999999999999999999", "compute latest",
                    "compute 2.", "compute 2.37", "compute 3.0", "2.1", "compute -1.5", "compute 2.0")));
        }
        if (random.nextBoolean()) {
            headers.put("Content-Type", visible(random, List.of("application/json", "text/plain",
                    "application/openstack-images-v2.1-json-patch", "application/octet-stream", "multipart/form-data")));
        }
        if (random.nextInt(3) == 0) {
            headers.put("If-Match", visible(random, List.of("revision_number=1", "revision_number=abc",
                    "revision_number=99999999999999999999", "*")));
        }
        headers.values().removeIf(String::isEmpty);
        return headers;
    }

    private static String token(Random random) {
        return switch (random.nextInt(6)) {
            case 0, 1 -> cloud.admin;
            case 2 -> cloud.alpha;
            case 3 -> cloud.beta;
            case 4 -> pick(random, List.of("garbage", "e30.e30.", "a.b.c"));
            default -> null;
        };
    }

    private static String body(Random random) {
        return switch (random.nextInt(7)) {
            case 0 -> Json.write(json(random, 3));
            case 1, 2 -> wrapped(random);
            case 3 -> {
                String whole = wrapped(random);
                yield whole.substring(0, whole.length() / 2);
            }
            case 4 -> text(random, 200);
            default -> pick(random, List.of("", "null", "[]", "{}", "{\"a\": 1, \"a\": 2}", "{\"x\": 1} trailing",
                    "\"\\u0000\"", "{\"network\": {\"name\": \"\\u0000\"}}"));
        };
    }

    private static String wrapped(Random random) {
        String key = pick(random, List.of("network", "subnet", "port", "security_group", "security_group_rule", "server",
                "flavor", "keypair", "project", "user", "role", "quota", "quota_set", "binding", "interfaceAttachment",
                "auth", "os-stop", "reboot", "events", "tags", "limits", "registered_limits", "limit"));
        return Json.write(Json.object().set(key, json(random, 3)));
    }

    private static JsonNode json(Random random, int depth) {
        int kind = random.nextInt(depth == 0 ? 7 : 10);
        return switch (kind) {
            case 0 -> NODES.textNode(text(random, 20));
            case 1 -> NODES.numberNode(random.nextLong());
            case 2 -> NODES.numberNode(random.nextDouble() * Math.pow(10, random.nextInt(40) - 20));
            case 3 -> NODES.booleanNode(random.nextBoolean());
            case 4 -> NODES.nullNode();
            case 5 -> NODES.textNode(pick(random, List.of("10.5.0.1", "10.0.0.0/33", "fa:16:3e:00:00:01", "ingress",
                    "tcp", "IPv4", "none", "auto", "1", "m1.tiny")));
            case 6 -> NODES.textNode(pick(random, ids));
            case 7 -> {
                var array = Json.array();
                for (int i = random.nextInt(5); i > 0; i--) {
                    array.add(json(random, depth - 1));
                }
                yield array;
            }
            default -> {
                var object = Json.object();
                for (int i = random.nextInt(6); i > 0; i--) {
                    String key = random.nextInt(4) == 0 ? text(random, 10) : pick(random, List.of("name", "network_id",
                            "fixed_ips", "subnet_id", "ip_address", "cidr", "ip_version", "port_security_enabled",
                            "security_groups", "allowed_address_pairs", "imageRef", "flavorRef", "networks", "uuid",
                            "port", "min_count", "max_count", "password", "domain_id", "direction", "protocol",
                            "port_range_min", "port_range_max", "remote_ip_prefix", "binding:host_id", "allocation_pools",
                            "gateway_ip", "tags", "op", "path", "value", "host", "public_key", "type", "metadata",
                            "user_data", "enabled", "shared", "service_id", "resource_name", "default_limit"));
                    object.set(key, json(random, depth - 1));
                }
                yield object;
            }
        };
    }

    // Any code point but surrogates: control characters, NUL and non-BMP characters included.
    private static String text(Random random, int maxLength) {
        StringBuilder text = new StringBuilder();
        for (int i = random.nextInt(maxLength + 1); i > 0; i--) {
            int codePoint = switch (random.nextInt(4)) {
                case 0 -> random.nextInt(0x20);
                case 1 -> 0x20 + random.nextInt(0x5f);
                case 2 -> 0xa0 + random.nextInt(0xd7ff - 0xa0);
                default -> 0x10000 + random.nextInt(0x10000);
            };
            text.appendCodePoint(codePoint);
        }
        return text.toString();
    }

    // Header values the JDK client will send: printable ASCII (raw control characters are ErrorPathTest's).
    private static String visible(Random random, List<String> likely) {
        if (random.nextBoolean()) {
            return pick(random, likely);
        }
        StringBuilder text = new StringBuilder();
        for (int i = random.nextInt(40); i > 0; i--) {
            text.append((char) (0x21 + random.nextInt(0x5e)));
        }
        return text.toString();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static <T> T pick(Random random, List<T> choices) {
        return choices.get(random.nextInt(choices.size()));
    }
}
