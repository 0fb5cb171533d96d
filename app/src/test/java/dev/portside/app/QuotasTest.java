package dev.portside.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portside.common.testing.Http;
import dev.portside.common.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.portside.app.Cloud.assertNovaError;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Quotas as OpenStack has them: Nova's, Neutron's and Glance's defaults, admins' overrides per
 * project, and usage counted in the creating transaction so that no request, however large, and no
 * race, however tight, takes a project past a limit.
 */
@ParameterizedClass(name = "on {0}")
@MethodSource("dev.portside.common.testing.TestDatabase#configured")
class QuotasTest {
    private static final Map<String, String> V2_37 = Map.of("OpenStack-API-Version", "compute 2.37");
    @Parameter
    TestDatabase kind;
    @TempDir
    Path dataDir;
    Cloud cloud;
    String alphaId;

    @AfterEach
    void stop() {
        cloud.close();
    }

    private void start() throws Exception {
        cloud = new Cloud(kind, dataDir, "fake_hosts: [{name: host1, vcpus: 64, memory_mb: 262144}]\n");
        alphaId = cloud.identity.get("/v3/projects?name=alpha", cloud.admin).json().at("/projects/0/id").asText();
    }

    private Http.Reply bootMany(String token, int min, int max) {
        return cloud.compute.send("POST", "/servers", token, """
                {"server": {"name": "many", "imageRef": "%s", "flavorRef": "1", "networks": "none",
                  "min_count": %d, "max_count": %d}}""".formatted(cloud.defaultImage, min, max), V2_37);
    }

    private int servers(String token) {
        return cloud.compute.get("/servers", token).json().get("servers").size();
    }

    @Test
    void aRequestForAHundredThousandServersIsRefusedByQuotaAndCreatesNothing() throws Exception {
        start();

        long started = System.nanoTime();
        Http.Reply reply = bootMany(cloud.alpha, 100_000, 100_000);

        assertNovaError(reply, 403, "forbidden", "Quota exceeded for cores, instances, ram");
        assertThat(reply.json().at("/forbidden/message").asText()).contains("already used 0 of");
        assertThat(servers(cloud.alpha)).isZero();
        // Refused before any row was written, so it is also quick (no timing is asserted beyond sanity).
        assertThat(System.nanoTime() - started).isLessThan(10_000_000_000L);
        // The cloud still serves everyone else.
        assertThat(cloud.compute.get("/os-keypairs", cloud.beta).status()).isEqualTo(200);
    }

    @Test
    void aMultiCreateGetsAsManyServersAsTheQuotaAllowsBetweenMinAndMax() throws Exception {
        start();
        assertThat(cloud.compute.send("PUT", "/os-quota-sets/" + alphaId, cloud.admin,
                "{\"quota_set\": {\"instances\": 3}}").json().at("/quota_set/instances").asInt()).isEqualTo(3);

        assertNovaError(bootMany(cloud.alpha, 4, 5), 403, "forbidden", "Quota exceeded for instances");
        assertThat(servers(cloud.alpha)).isZero();

        assertThat(bootMany(cloud.alpha, 1, 5).status()).isEqualTo(202);
        assertThat(servers(cloud.alpha)).isEqualTo(3);
        assertNovaError(bootMany(cloud.alpha, 1, 1), 403, "forbidden", "already used 3 of 3 instances");

        JsonNode detail = cloud.compute.get("/os-quota-sets/" + alphaId + "/detail", cloud.alpha).json().get("quota_set");
        assertThat(detail.at("/instances/in_use").asInt()).isEqualTo(3);
        assertThat(detail.at("/cores/in_use").asInt()).isEqualTo(3);
        assertThat(detail.at("/ram/in_use").asInt()).isEqualTo(3 * 512);
        JsonNode limits = cloud.compute.get("/limits", cloud.alpha).json().at("/limits/absolute");
        assertThat(limits.get("maxTotalInstances").asInt()).isEqualTo(3);
        assertThat(limits.get("totalInstancesUsed").asInt()).isEqualTo(3);

        // Back to Nova's defaults.
        assertThat(cloud.compute.send("DELETE", "/os-quota-sets/" + alphaId, cloud.admin, null).status()).isEqualTo(202);
        assertThat(cloud.compute.get("/os-quota-sets/" + alphaId, cloud.alpha).json().at("/quota_set/instances").asInt())
                .isEqualTo(10);
    }

    @Test
    void computeQuotasHaveNovasDefaultsAndOnlyAdminsChangeThem() throws Exception {
        start();
        JsonNode set = cloud.compute.get("/os-quota-sets/" + alphaId + "/defaults", cloud.alpha).json().get("quota_set");
        assertThat(set.get("instances").asInt()).isEqualTo(10);
        assertThat(set.get("cores").asInt()).isEqualTo(20);
        assertThat(set.get("ram").asInt()).isEqualTo(51200);
        assertThat(set.get("key_pairs").asInt()).isEqualTo(100);
        assertThat(set.get("metadata_items").asInt()).isEqualTo(128);

        assertNovaError(cloud.compute.send("PUT", "/os-quota-sets/" + alphaId, cloud.alpha,
                "{\"quota_set\": {\"instances\": 1000}}"), 403, "forbidden", "os-quota-sets:update");
        assertNovaError(cloud.compute.send("PUT", "/os-quota-sets/" + alphaId, cloud.admin,
                "{\"quota_set\": {\"instances\": -2}}"), 400, "badRequest", "less than the minimum of -1");
        assertNovaError(cloud.compute.send("PUT", "/os-quota-sets/" + alphaId, cloud.admin,
                "{\"quota_set\": {\"bogus\": 1}}"), 400, "badRequest", "'bogus' was unexpected");
        assertThat(cloud.compute.get("/os-quota-sets/" + alphaId, cloud.alpha).json().at("/quota_set/instances").asInt())
                .isEqualTo(10);
    }

    @Test
    void keyPairsAndMetadataItemsAreLimited() throws Exception {
        start();
        cloud.compute.send("PUT", "/os-quota-sets/" + alphaId, cloud.admin,
                "{\"quota_set\": {\"key_pairs\": 1, \"metadata_items\": 2}}");
        assertThat(cloud.compute.post("/os-keypairs", cloud.alpha, "{\"keypair\": {\"name\": \"one\"}}").status())
                .isEqualTo(200);
        assertNovaError(cloud.compute.post("/os-keypairs", cloud.alpha, "{\"keypair\": {\"name\": \"two\"}}"), 403,
                "forbidden", "Quota exceeded, too many key pairs.");

        Http.Reply tooMuch = cloud.compute.send("POST", "/servers", cloud.alpha, """
                {"server": {"name": "m", "imageRef": "%s", "flavorRef": "1", "networks": "none",
                  "metadata": {"a": "1", "b": "2", "c": "3"}}}""".formatted(cloud.defaultImage), V2_37);
        assertNovaError(tooMuch, 403, "forbidden", "Quota exceeded for metadata_items");
        assertThat(servers(cloud.alpha)).isZero();
    }

    @Test
    void networkQuotasHaveNeutronsDefaultsAndTheOneTooManyIsOverQuota() throws Exception {
        start();
        JsonNode defaults = cloud.network.get("/v2.0/quotas/" + alphaId + "/default", cloud.alpha).json().get("quota");
        assertThat(defaults.get("network").asInt()).isEqualTo(100);
        assertThat(defaults.get("subnet").asInt()).isEqualTo(100);
        assertThat(defaults.get("port").asInt()).isEqualTo(500);
        assertThat(defaults.get("security_group").asInt()).isEqualTo(10);
        assertThat(defaults.get("security_group_rule").asInt()).isEqualTo(100);
        assertThat(defaults.get("router").asInt()).isEqualTo(10);
        assertThat(defaults.get("floatingip").asInt()).isEqualTo(50);

        Http.Reply set = cloud.network.send("PUT", "/v2.0/quotas/" + alphaId, cloud.admin,
                "{\"quota\": {\"network\": 1, \"port\": 1}}");
        assertThat(set.json().at("/quota/network").asInt()).as(set.toString()).isEqualTo(1);
        String net = cloud.network(cloud.alpha, "one");
        Http.Reply second = cloud.network.post("/v2.0/networks", cloud.alpha, "{\"network\": {\"name\": \"two\"}}");
        assertNeutronError(second, 409, "OverQuota", "Quota exceeded for resources: ['network'].");
        cloud.port(cloud.alpha, net, "\"fixed_ips\": []");
        assertNeutronError(cloud.network.post("/v2.0/ports", cloud.alpha, "{\"port\": {\"network_id\": \"" + net + "\"}}"),
                409, "OverQuota", "['port']");
        // Another project's quota is its own.
        cloud.network(cloud.beta, "beta-one");
        cloud.network(cloud.beta, "beta-two");

        JsonNode details = cloud.network.get("/v2.0/quotas/" + alphaId + "/details", cloud.alpha).json().get("quota");
        assertThat(details.at("/network/used").asInt()).isEqualTo(1);
        assertThat(details.at("/network/limit").asInt()).isEqualTo(1);
        assertThat(details.at("/port/used").asInt()).isEqualTo(1);
        JsonNode listed = cloud.network.get("/v2.0/quotas", cloud.admin).json().get("quotas");
        assertThat(listed.findValuesAsText("project_id")).containsExactly(alphaId);

        assertNeutronError(cloud.network.send("PUT", "/v2.0/quotas/" + alphaId, cloud.alpha, "{\"quota\": {\"network\": 50}}"),
                403, "PolicyNotAuthorized", "update_quota");
        assertNeutronError(cloud.network.send("PUT", "/v2.0/quotas/" + alphaId, cloud.admin, "{\"quota\": {\"network\": \"x\"}}"),
                400, "HTTPBadRequest", "is not an integer");
        assertNeutronError(cloud.network.send("PUT", "/v2.0/quotas/" + alphaId, cloud.admin, "{\"quota\": {\"firewall_group\": 5}}"),
                400, "HTTPBadRequest", "Unrecognized attribute(s) 'firewall_group'");
        assertThat(cloud.network.send("DELETE", "/v2.0/quotas/" + alphaId, cloud.admin, null).status()).isEqualTo(204);
        cloud.network(cloud.alpha, "two");
    }

    @Test
    void concurrentCreatesNeverTakeAProjectPastItsLimit() throws Exception {
        start();
        cloud.network.send("PUT", "/v2.0/quotas/" + alphaId, cloud.admin, "{\"quota\": {\"network\": 5}}");
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Callable<Integer>> creates = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                int n = i;
                creates.add(() -> cloud.network.post("/v2.0/networks", cloud.alpha,
                        "{\"network\": {\"name\": \"race-" + n + "\"}}").status());
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> f : pool.invokeAll(creates)) {
                statuses.add(f.get());
            }
            assertThat(statuses).filteredOn(s -> s == 201).hasSize(5);
            assertThat(statuses).filteredOn(s -> s != 201).allMatch(s -> s == 409);
        } finally {
            pool.shutdownNow();
        }
        assertThat(cloud.network.get("/v2.0/networks?project_id=" + alphaId, cloud.alpha).json().get("networks"))
                .hasSize(5);
    }

    @Test
    void anImageWithFiftyThousandTagsIsRefusedAndImagesAreCountedPerProject() throws Exception {
        start();
        StringBuilder tags = new StringBuilder();
        for (int i = 0; i < 50_000; i++) {
            tags.append(i == 0 ? "" : ",").append("\"t").append(i).append('"');
        }
        Http.Reply refused = cloud.image.post("/v2/images", cloud.alpha, "{\"name\": \"tagged\", \"tags\": [" + tags + "]}");
        assertThat(refused.status()).as(refused.toString()).isEqualTo(413);
        assertThat(refused.json().get("message").asText()).contains("Maximum number of tags exceeded");
        assertThat(cloud.image.get("/v2/images?name=tagged", cloud.alpha).json().get("images")).isEmpty();

        StringBuilder properties = new StringBuilder();
        for (int i = 0; i < 129; i++) {
            properties.append(", \"p").append(i).append("\": \"v\"");
        }
        assertThat(cloud.image.post("/v2/images", cloud.alpha, "{\"name\": \"props\"" + properties + "}").status())
                .isEqualTo(413);
        Http.Reply fits = cloud.image.post("/v2/images", cloud.alpha, "{\"name\": \"fits\", \"tags\": [\"a\", \"b\"]}");
        assertThat(fits.status()).isEqualTo(201);
        StringBuilder patch = new StringBuilder("[");
        for (int i = 0; i < 129; i++) {
            patch.append(i == 0 ? "" : ",").append("{\"op\": \"add\", \"path\": \"/x").append(i).append("\", \"value\": \"v\"}");
        }
        Http.Reply patched = cloud.image.send("PATCH", "/v2/images/" + fits.json().get("id").asText(), cloud.alpha,
                patch + "]", Map.of("Content-Type", "application/openstack-images-v2.1-json-patch"));
        assertThat(patched.status()).as(patched.toString()).isEqualTo(413);
    }

    static void assertNeutronError(Http.Reply reply, int status, String type, String messageContains) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(status);
        assertThat(reply.json().at("/NeutronError/type").asText()).as(reply.toString()).isEqualTo(type);
        assertThat(reply.json().at("/NeutronError/message").asText()).as(reply.toString()).contains(messageContains);
    }
}
