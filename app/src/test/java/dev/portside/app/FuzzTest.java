package dev.portside.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portside.common.http.ApiServer;
import dev.portside.common.json.Json;
import dev.portside.common.testing.Http;
import dev.portside.common.testing.TestDatabase;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Generated malformed requests at every route of the four APIs - bodies of the wrong shape, type or
 * size, truncated JSON, odd query strings, microversions, content types, If-Match values, tokens
 * valid and not, path parameters real and not - and not one may answer 5xx or an error body other
 * than that API's own format. A bounded number of tries per run (jqwik shrinks a failure to the
 * smallest request that shows it). Run on one database: it is about the HTTP layer, not storage.
 */
class FuzzTest {
    static Cloud cloud;
    static Path dataDir;
    static List<Target> targets;
    static Map<String, List<String>> ids;

    record Target(String service, Http http, String method, String path) {
    }

    record Fuzzed(Target target, String path, String query, Map<String, String> headers, String token, String body) {
        @Override
        public String toString() {
            return target.method() + " " + target.service() + path + query + " headers=" + headers + " token="
                    + (token == null ? "none" : token.length() > 12 ? "valid" : token) + " body="
                    + (body == null ? "none" : body.length() > 300 ? body.substring(0, 300) + "..." : body);
        }
    }

    @BeforeContainer
    static void start() throws IOException {
        dataDir = Files.createTempDirectory("portside-fuzz");
        cloud = new Cloud(new TestDatabase("h2", ""), dataDir, "fake_hosts: [{name: host1}]\n");
        String net = cloud.network(cloud.alpha, "fuzz", "10.5.0.0/24");
        String port = cloud.port(cloud.alpha, net, "\"fixed_ips\": []");
        String server = cloud.bootOk(cloud.alpha, "fuzz", "[{\"uuid\": \"" + net + "\"}]");
        cloud.settled(cloud.alpha, server);
        String image = cloud.image.post("/v2/images", cloud.alpha, "{\"name\": \"fuzz\"}").json().get("id").asText();
        String group = cloud.network.post("/v2.0/security-groups", cloud.alpha, "{\"security_group\": {\"name\": \"f\"}}")
                .json().at("/security_group/id").asText();
        String project = cloud.identity.get("/v3/projects?name=alpha", cloud.admin).json().at("/projects/0/id").asText();
        ids = Map.of("network", List.of(net), "port", List.of(port), "server", List.of(server), "image", List.of(image),
                "group", List.of(group), "project", List.of(project));
        targets = new ArrayList<>();
        Map<String, Http> https = Map.of("identity", cloud.identity, "network", cloud.network, "image", cloud.image,
                "compute", cloud.computeRoot);
        cloud.routes().forEach((service, routes) -> {
            for (ApiServer.Route route : routes) {
                targets.add(new Target(service, https.get(service), route.method(), route.path()));
            }
        });
    }

    @AfterContainer
    static void stop() {
        cloud.close();
    }

    @Property(tries = 2500, shrinking = ShrinkingMode.BOUNDED)
    void noRequestIsAnsweredWithAServerErrorOrAnotherFormatsBody(@ForAll("requests") Fuzzed request) throws Exception {
        Http.Reply reply = request.target().http().send(request.target().method(), request.path() + request.query(),
                request.token(), request.body(), request.headers());
        assertThat(reply.status()).as(request + " -> " + reply).isLessThan(500);
        if (reply.status() >= 400 && !request.target().method().equals("HEAD")) {
            assertThat(reply.header("Content-Type").orElse("")).as(request + " -> " + reply).startsWith("application/json");
            JsonNode body = Json.MAPPER.readTree(reply.text());
            assertThat(inFormat(request.target().service(), body, reply.status())).as(request + " -> " + reply).isTrue();
        }
    }

    static boolean inFormat(String service, JsonNode body, int status) {
        return switch (service) {
            case "identity" -> body.at("/error/code").asInt() == status;
            case "network" -> body.at("/NeutronError/type").isTextual() && body.at("/NeutronError/message").isTextual();
            case "image" -> body.get("code") != null && body.get("code").asText().startsWith(String.valueOf(status));
            default -> body.size() == 1 && body.elements().next().path("code").asInt() == status;
        };
    }

    @Provide
    Arbitrary<Fuzzed> requests() {
        Arbitrary<Target> target = Arbitraries.of(targets);
        return target.flatMap(t -> Combinators.combine(path(t), query(), headers(), token(), body())
                .as((path, query, headers, token, body) -> new Fuzzed(t, path, query, headers, token,
                        t.method().equals("GET") || t.method().equals("HEAD") ? null : body)));
    }

    // A path parameter is a real resource id (so handlers run past their lookups), or something else.
    private Arbitrary<String> path(Target t) {
        Arbitrary<String> real = Arbitraries.of(ids.values().stream().flatMap(List::stream).toList());
        Arbitrary<String> odd = Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(40),
                Arbitraries.strings().withCharRange('0', 'z').ofLength(300), Arbitraries.of("-1", "0", "%", "..", "default",
                        "99999999999999999999", "null", "detail", "action"));
        Arbitrary<String> param = Arbitraries.oneOf(real, real, odd);
        String template = t.path();
        List<String> names = new ArrayList<>();
        var matcher = java.util.regex.Pattern.compile("\\{[^}]+}").matcher(template);
        while (matcher.find()) {
            names.add(matcher.group());
        }
        if (names.isEmpty()) {
            return Arbitraries.just(template);
        }
        return param.list().ofSize(names.size()).map(values -> {
            String path = template;
            for (int i = 0; i < names.size(); i++) {
                path = path.replace(names.get(i), URLEncoder.encode(values.get(i), StandardCharsets.UTF_8).replace("+", "%20"));
            }
            return path;
        });
    }

    private Arbitrary<String> query() {
        Arbitrary<String> key = Arbitraries.of("limit", "marker", "sort_key", "sort_dir", "fields", "name", "tags",
                "tags-any", "not-tags", "all_tenants", "page_reverse", "fixed_ips", "visibility", "status", "owner",
                "user_id", "changes-since", "project_id", "shared", "admin_state_up", "id", "x");
        Arbitrary<String> value = Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(30), Arbitraries.of("-1", "0",
                "99999999999999999999", "true", "asc", "desc", "id", "name", "ip_address=10.5.0.1", "", "1.5"));
        Arbitrary<String> pair = Combinators.combine(key, value).as((k, v) -> k + "="
                + URLEncoder.encode(v, StandardCharsets.UTF_8));
        return pair.list().ofMaxSize(4).map(pairs -> pairs.isEmpty() ? "" : "?" + String.join("&", pairs));
    }

    private Arbitrary<Map<String, String>> headers() {
        Arbitrary<String> visible = Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(40);
        Arbitrary<String> version = Arbitraries.oneOf(visible, Arbitraries.of("compute 2.99999999999999999999",
                "compute latest", "compute 2.", "compute 2.37", "compute 3.0", "2.1", "compute -1.5", "compute 2.0"));
        Arbitrary<String> type = Arbitraries.oneOf(visible, Arbitraries.of("application/json", "text/plain",
                "application/openstack-images-v2.1-json-patch", "application/octet-stream", "multipart/form-data"));
        Arbitrary<String> ifMatch = Arbitraries.oneOf(visible, Arbitraries.of("revision_number=1", "revision_number=abc",
                "revision_number=99999999999999999999", "*"));
        return Combinators.combine(version.optional(), type.optional(), ifMatch.optional()).as((v, t, i) -> {
            Map<String, String> headers = new LinkedHashMap<>();
            v.ifPresent(x -> headers.put("OpenStack-API-Version", x.strip()));
            t.filter(x -> !x.isBlank()).ifPresent(x -> headers.put("Content-Type", x.strip()));
            i.ifPresent(x -> headers.put("If-Match", x.strip()));
            return headers;
        });
    }

    private Arbitrary<String> token() {
        return Arbitraries.oneOf(Arbitraries.just(cloud.admin), Arbitraries.just(cloud.alpha), Arbitraries.just(cloud.beta),
                Arbitraries.of("garbage", "e30.e30.", "a.b.c"), Arbitraries.just(null));
    }

    private Arbitrary<String> body() {
        Arbitrary<String> json = jsonValue(3).map(Json::write);
        Arbitrary<String> wrapped = Combinators.combine(Arbitraries.of("network", "subnet", "port", "security_group",
                        "security_group_rule", "server", "flavor", "keypair", "project", "user", "role", "quota",
                        "quota_set", "binding", "interfaceAttachment", "auth", "os-stop", "reboot", "events", "tags"),
                jsonValue(3)).as((key, value) -> Json.write(Json.object().set(key, value)));
        Arbitrary<String> truncated = wrapped.map(text -> text.substring(0, text.length() / 2));
        Arbitrary<String> noise = Arbitraries.strings().ofMaxLength(200);
        return Arbitraries.oneOf(json, wrapped, wrapped, truncated, noise, Arbitraries.of("", "null", "[]", "{}",
                "{\"a\": 1, \"a\": 2}", "{\"x\": 1} trailing", "\"\\u0000\""));
    }

    private Arbitrary<JsonNode> jsonValue(int depth) {
        Arbitrary<JsonNode> scalar = Arbitraries.oneOf(
                Arbitraries.strings().ofMaxLength(20).map(s -> Json.MAPPER.getNodeFactory().textNode(s)),
                Arbitraries.longs().map(l -> Json.MAPPER.getNodeFactory().numberNode(l)),
                Arbitraries.doubles().map(d -> Json.MAPPER.getNodeFactory().numberNode(d)),
                Arbitraries.of(true, false).map(b -> Json.MAPPER.getNodeFactory().booleanNode(b)),
                Arbitraries.just(Json.MAPPER.getNodeFactory().nullNode()),
                Arbitraries.of("10.5.0.1", "10.0.0.0/33", "fa:16:3e:00:00:01", "ingress", "tcp", "IPv4", "none", "auto",
                        "1", "m1.tiny").map(s -> Json.MAPPER.getNodeFactory().textNode(s)),
                Arbitraries.of(ids.values().stream().flatMap(List::stream).toList())
                        .map(s -> Json.MAPPER.getNodeFactory().textNode(s)));
        if (depth == 0) {
            return scalar;
        }
        Arbitrary<String> key = Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(10), Arbitraries.of("name",
                "network_id", "fixed_ips", "subnet_id", "ip_address", "cidr", "ip_version", "port_security_enabled",
                "security_groups", "allowed_address_pairs", "imageRef", "flavorRef", "networks", "uuid", "port",
                "min_count", "max_count", "password", "domain_id", "direction", "protocol", "port_range_min",
                "port_range_max", "remote_ip_prefix", "binding:host_id", "allocation_pools", "gateway_ip", "tags",
                "op", "path", "value", "host", "public_key", "type", "metadata", "user_data", "enabled", "shared"));
        Arbitrary<JsonNode> object = Combinators.combine(key, jsonValue(depth - 1)).as(Map::entry).list().ofMaxSize(5)
                .map(entries -> {
                    var node = Json.object();
                    entries.forEach(e -> node.set(e.getKey(), e.getValue()));
                    return node;
                });
        Arbitrary<JsonNode> array = jsonValue(depth - 1).list().ofMaxSize(4).map(values -> {
            var node = Json.array();
            values.forEach(node::add);
            return node;
        });
        return Arbitraries.oneOf(scalar, object, object, array);
    }
}
