package dev.portside.network;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portside.common.http.ApiException;
import dev.portside.common.testing.Http;
import dev.portside.common.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Lists answered in SQL answer what the in-memory lists before them answered ({@link InMemoryList}):
 * on a seeded set of a few thousand ports (two networks, addressed and unaddressed, tagged, bound,
 * in two projects) and the other resources, every filter Neutron documents, sorting, and paging
 * forwards and backwards, for an admin and for a project member.
 */
@ParameterizedClass(name = "on {0}")
@MethodSource("dev.portside.common.testing.TestDatabase#configured")
class ListingTest {
    static final int PORTS = 3000;
    static final List<String> NAMES = List.of("Alpha", "alpha", "beta", "_x", "p1", "p2", "p3", "");

    @Parameter
    TestDatabase kind;

    // Seeded once per database (a few thousand requests), read by every test of that database.
    static TestDatabase seeded;
    static NetworkServer neutron;
    static Http http;
    static String net1;
    static String net2;
    static String subnet2;
    static String group;
    static String somePort;
    static String trunkParent;
    static String someMac;

    @BeforeEach
    void seedOncePerDatabase() throws Exception {
        if (kind != seeded) {
            stop();
            seed(kind);
            seeded = kind;
        }
    }

    static void seed(TestDatabase kind) throws Exception {
        neutron = new NetworkServer(kind);
        http = neutron.http;
        net1 = neutron.network(neutron.alpha, "net1");
        neutron.subnet(neutron.alpha, net1, "10.0.0.0/20");
        JsonNode shared = neutron.create(neutron.admin, "network", "\"name\": \"net2\", \"shared\": true");
        net2 = shared.get("id").asText();
        // More ports than Neutron's default quota allows a project.
        for (String project : List.of(shared.get("project_id").asText(), http.get("/v2.0/networks/" + net1, neutron.alpha)
                .json().at("/network/project_id").asText())) {
            assertThat(http.send("PUT", "/v2.0/quotas/" + project, neutron.admin, "{\"quota\": {\"port\": -1}}").status())
                    .isEqualTo(200);
        }
        subnet2 = neutron.subnet(neutron.admin, net2, "10.8.0.0/20");
        group = http.post("/v2.0/security-groups", neutron.alpha, "{\"security_group\": {\"name\": \"web\"}}")
                .json().at("/security_group/id").asText();
        Http.Reply rule = http.post("/v2.0/security-group-rules", neutron.alpha, "{\"security_group_rule\": {"
                + "\"security_group_id\": \"" + group + "\", \"direction\": \"ingress\", \"protocol\": \"tcp\","
                + " \"port_range_min\": 22}}");
        assertThat(rule.status()).as(rule.toString()).isEqualTo(201);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<String>> made = new ArrayList<>();
        for (int i = 0; i < PORTS; i++) {
            int n = i;
            made.add(pool.submit(() -> seedPort(n)));
        }
        for (Future<String> port : made) {
            somePort = port.get();
        }
        pool.shutdown();
        someMac = http.get("/v2.0/ports/" + somePort, neutron.admin).json().at("/port/mac_address").asText();
        for (String name : List.of("t1", "t2", "t3")) {
            trunkParent = neutron.create(neutron.alpha, "port", "\"network_id\": \"" + net1 + "\"").get("id").asText();
            neutron.create(name.equals("t3") ? neutron.admin : neutron.alpha, "trunk", "\"name\": \"" + name
                    + "\", \"port_id\": \"" + trunkParent + "\", \"admin_state_up\": " + !name.equals("t2"));
        }
    }

    private static String seedPort(int n) {
        boolean onShared = n % 5 == 0;
        String token = n % 10 == 0 ? neutron.admin : neutron.alpha;
        StringBuilder attributes = new StringBuilder("\"network_id\": \"" + (onShared ? net2 : net1) + "\", \"name\": \""
                + NAMES.get(n % NAMES.size()) + "\", \"device_id\": \"dev-" + (n % 17) + "\", \"device_owner\": \""
                + (n % 3 == 0 ? "compute:nova" : "") + "\", \"admin_state_up\": " + (n % 4 != 0)
                + ", \"description\": \"d" + (n % 6) + "\"");
        if (n % 9 == 0) {
            attributes.append(", \"fixed_ips\": []");
        }
        if (n % 8 == 0 && !onShared) {
            attributes.append(", \"security_groups\": [\"").append(group).append("\"]");
        }
        String id = neutron.create(token, "port", attributes.toString()).get("id").asText();
        if (n % 7 == 0) {
            assertThat(http.send("PUT", "/v2.0/ports/" + id + "/tags/red", neutron.admin, null).status()).isEqualTo(201);
        }
        if (n % 11 == 0) {
            assertThat(http.send("PUT", "/v2.0/ports/" + id + "/tags/blue", neutron.admin, null).status()).isEqualTo(201);
        }
        if (n % 13 == 0) {
            Http.Reply bound = http.send("PUT", "/v2.0/ports/" + id, neutron.admin,
                    "{\"port\": {\"binding:host_id\": \"host-" + (n % 2) + "\"}}");
            assertThat(bound.status()).as(bound.toString()).isEqualTo(200);
        }
        return id;
    }

    @AfterAll
    static void stop() {
        if (neutron != null) {
            neutron.close();
            neutron = null;
            seeded = null;
        }
    }

    List<String> portQueries() {
        return List.of("", "name=p1", "name=p1&name=alpha", "name=", "id=" + somePort, "mac_address=" + someMac,
                "network_id=" + net2, "fixed_ips=ip_address=10.0.0.9", "fixed_ips=subnet_id=" + subnet2,
                "fixed_ips=ip_address=10.8.0.4&fixed_ips=ip_address=10.0.0.20", "ip_allocation=none",
                "device_id=dev-3", "device_owner=compute:nova", "device_owner=", "admin_state_up=false",
                "admin_state_up=True", "status=DOWN", "description=d2", "revision_number=2", "security_groups=" + group,
                "port_security_enabled=true", "binding:host_id=host-1", "binding:vnic_type=normal", "tags=red",
                "tags=red,blue", "tags-any=red,blue", "not-tags=red", "not-tags-any=red,blue", "tags=red&name=beta",
                "sort_key=name", "sort_key=name&sort_dir=desc", "sort_key=name&sort_key=device_id&sort_dir=asc&sort_dir=desc",
                "sort_key=admin_state_up&sort_key=name", "sort_key=mac_address&sort_dir=desc",
                "sort_key=revision_number&sort_dir=desc", "sort_key=created_at", "sort_key=device_owner&name=p2",
                "sort_key=binding:host_id&sort_dir=desc", "fields=id&fields=name&name=p3");
    }

    @Test
    void everyPortFilterAndSortAnswersTheRowsTheInMemoryListDid() {
        for (String caller : List.of(neutron.admin, neutron.alpha)) {
            List<ObjectNode> all = all("ports", caller);
            assertThat(all.size()).isGreaterThan(caller.equals(neutron.admin) ? PORTS - 1 : PORTS / 2);
            for (String query : portQueries()) {
                assertSameRows("ports", caller, all, query);
            }
        }
    }

    @Test
    void pagingForwardsAndBackwardsWalksTheSameRowsAsTheInMemoryList() {
        for (String query : List.of("", "sort_key=name", "sort_key=name&sort_key=device_id&sort_dir=desc&sort_dir=asc",
                "tags-any=red,blue&sort_key=admin_state_up", "network_id=" + net1 + "&sort_key=device_id")) {
            for (String caller : List.of(neutron.admin, neutron.alpha)) {
                List<ObjectNode> all = all("ports", caller);
                walk("ports", caller, all, query, false);
                walk("ports", caller, all, query, true);
            }
        }
    }

    @Test
    void theOtherResourcesFilterAndSortAsBefore() {
        Map<String, List<String>> queries = Map.of(
                "networks", List.of("", "name=net2", "shared=true", "admin_state_up=true", "mtu=1500", "status=ACTIVE",
                        "subnets=" + subnet2, "port_security_enabled=true", "sort_key=name&sort_dir=desc", "limit=1"),
                "subnets", List.of("", "network_id=" + net2, "cidr=10.0.0.0/20", "ip_version=4", "gateway_ip=10.8.0.1",
                        "enable_dhcp=true", "ipv6_ra_mode=", "sort_key=cidr&sort_dir=desc"),
                "security-groups", List.of("", "name=web", "name=default", "sort_key=name", "stateful=true"),
                "trunks", List.of("", "name=t1", "admin_state_up=false", "status=DOWN", "port_id=" + trunkParent,
                        "sort_key=name&sort_dir=desc", "limit=1"),
                "security-group-rules", List.of("", "direction=ingress", "protocol=tcp", "port_range_min=22",
                        "ethertype=IPv6", "security_group_id=" + group, "remote_ip_prefix=", "sort_key=direction"));
        queries.forEach((collection, list) -> {
            for (String caller : List.of(neutron.admin, neutron.alpha)) {
                List<ObjectNode> all = all(collection, caller);
                for (String query : list) {
                    assertSameRows(collection, caller, all, query);
                }
            }
        });
    }

    // Pages of 97 from the start (or, backwards, from the end) by the links' markers, compared page for page.
    private void walk(String collection, String caller, List<ObjectNode> all, String query, boolean backwards) {
        String base = query + (query.isEmpty() ? "" : "&") + "limit=97" + (backwards ? "&page_reverse=True" : "");
        String marker = "";
        List<String> seen = new ArrayList<>();
        for (int page = 0; page < 100; page++) {
            String asked = base + marker;
            JsonNode sql = list(collection, caller, asked);
            JsonNode expected = InMemoryList.of(params(asked)).respond(key(collection), all, "");
            List<String> ids = sql.get(key(collection)).findValuesAsText("id");
            assertThat(ids).as(collection + "?" + asked).isEqualTo(expected.get(key(collection)).findValuesAsText("id"));
            if (!backwards) {
                assertThat(sql.get(key(collection) + "_links").findValuesAsText("rel")).as("links of ?" + asked)
                        .containsExactlyInAnyOrderElementsOf(expected.get(key(collection) + "_links").findValuesAsText("rel"));
            }
            seen.addAll(backwards ? ids.reversed() : ids);
            boolean more = sql.get(key(collection) + "_links").findValuesAsText("rel").contains(backwards ? "previous" : "next");
            if (!more) {
                break;
            }
            marker = "&marker=" + (backwards ? ids.getFirst() : ids.getLast());
        }
        List<String> everything = InMemoryList.of(params(query)).respond(key(collection), all, "")
                .get(key(collection)).findValuesAsText("id");
        assertThat(backwards ? seen.reversed() : seen).as("every row of ?" + query + " once").isEqualTo(everything);
    }

    private void assertSameRows(String collection, String caller, List<ObjectNode> all, String query) {
        JsonNode expected;
        try {
            expected = InMemoryList.of(params(query)).respond(key(collection), all, "");
        } catch (ApiException refused) {
            // Refused before (an attribute the caller cannot see): refused the same way now.
            Http.Reply reply = http.get("/v2.0/" + collection + "?" + query, caller);
            assertThat(reply.status()).as(collection + "?" + query + ": " + reply).isEqualTo(refused.status());
            return;
        }
        JsonNode sql = list(collection, caller, query);
        assertThat(sql.get(key(collection)).toString()).as(collection + "?" + query)
                .isEqualTo(expected.get(key(collection)).toString());
    }

    private List<ObjectNode> all(String collection, String caller) {
        List<ObjectNode> rows = new ArrayList<>();
        list(collection, caller, "").get(key(collection)).forEach(row -> rows.add((ObjectNode) row));
        return rows;
    }

    private JsonNode list(String collection, String caller, String query) {
        Http.Reply reply = http.get("/v2.0/" + collection + (query.isEmpty() ? "" : "?" + query), caller);
        assertThat(reply.status()).as(collection + "?" + query + ": " + reply).isEqualTo(200);
        return reply.json();
    }

    private static String key(String collection) {
        return collection.replace('-', '_');
    }

    private static Map<String, List<String>> params(String query) {
        Map<String, List<String>> params = new LinkedHashMap<>();
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            params.computeIfAbsent(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8), k -> new ArrayList<>())
                    .add(URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return params;
    }
}
