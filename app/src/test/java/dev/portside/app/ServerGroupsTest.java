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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.portside.app.Cloud.assertNovaError;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Server groups on three fake hosts: the scheduler honours a group's affinity or anti-affinity for
 * servers booted with the hint {@code group}, also when they are created together, and Nova's rules
 * and quotas for groups hold.
 */
@ParameterizedClass(name = "on {0}")
@MethodSource("dev.portside.common.testing.TestDatabase#configured")
class ServerGroupsTest {
    private static final Map<String, String> V2_15 = Map.of("OpenStack-API-Version", "compute 2.15");

    @Parameter
    TestDatabase kind;
    @TempDir
    Path dataDir;
    Cloud cloud;

    @BeforeEach
    void start() throws Exception {
        cloud = new Cloud(kind, dataDir, "fake_hosts: [{name: host1}, {name: host2}, {name: host3}]\n");
    }

    @AfterEach
    void stop() {
        cloud.close();
    }

    @Test
    void antiAffinityPutsEachMemberOnAHostOfItsOwnAndRefusesAFourth() {
        String group = group(cloud.alpha, "ha-pair", "anti-affinity", Map.of());
        List<String> hosts = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            JsonNode server = cloud.settled(cloud.alpha, boot("vm" + i, group, 1));
            assertThat(server.get("status").asText()).isEqualTo("ACTIVE");
            hosts.add(host(server.get("id").asText()));
        }
        assertThat(hosts).doesNotHaveDuplicates().hasSize(3);

        JsonNode fourth = cloud.settled(cloud.alpha, boot("vm4", group, 1));
        assertThat(fourth.get("status").asText()).isEqualTo("ERROR");
        assertThat(fourth.at("/fault/message").asText()).contains("No valid host was found");
        JsonNode shown = cloud.compute.get("/os-server-groups/" + group, cloud.alpha).json().get("server_group");
        assertThat(shown.get("members")).hasSize(4);
        assertThat(shown.at("/policies/0").asText()).isEqualTo("anti-affinity");
    }

    @Test
    void affinityKeepsEveryMemberOnTheFirstOnesHost() {
        String group = group(cloud.alpha, "together", "affinity", Map.of());
        String first = cloud.settled(cloud.alpha, boot("vm1", group, 1)).get("id").asText();
        for (int i = 2; i <= 3; i++) {
            String id = cloud.settled(cloud.alpha, boot("vm" + i, group, 1)).get("id").asText();
            assertThat(host(id)).isEqualTo(host(first));
        }
    }

    @Test
    void membersCreatedInOneRequestAreSpreadToo() {
        String group = group(cloud.alpha, "spread", "anti-affinity", Map.of());
        boot("vm", group, 3);
        List<String> hosts = new ArrayList<>();
        for (JsonNode server : cloud.compute.get("/servers", cloud.alpha).json().get("servers")) {
            JsonNode settled = cloud.settled(cloud.alpha, server.get("id").asText());
            assertThat(settled.get("status").asText()).isEqualTo("ACTIVE");
            hosts.add(host(server.get("id").asText()));
        }
        assertThat(hosts).hasSize(3).doesNotHaveDuplicates();
    }

    @Test
    void softAntiAffinityPrefersEmptyHostsFrom215() {
        assertNovaError(cloud.compute.post("/os-server-groups", cloud.alpha,
                "{\"server_group\": {\"name\": \"g\", \"policies\": [\"soft-anti-affinity\"]}}"), 400, "badRequest",
                "policies");
        String group = group(cloud.alpha, "soft", "soft-anti-affinity", V2_15);
        List<String> hosts = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            JsonNode server = cloud.settled(cloud.alpha, boot("vm" + i, group, 1));
            assertThat(server.get("status").asText()).as("a soft policy never refuses").isEqualTo("ACTIVE");
            hosts.add(host(server.get("id").asText()));
        }
        assertThat(hosts.subList(0, 3)).doesNotHaveDuplicates();
    }

    @Test
    void groupsAreCheckedAsNovaChecksThem() {
        assertNovaError(cloud.compute.post("/os-server-groups", cloud.alpha,
                "{\"server_group\": {\"name\": \"g\", \"policies\": [\"anti-affinity\", \"affinity\"]}}"), 400,
                "badRequest", "policies");
        assertNovaError(cloud.compute.post("/os-server-groups", cloud.alpha,
                "{\"server_group\": {\"name\": \"g\", \"policies\": [\"together\"]}}"), 400, "badRequest", "policies");
        assertNovaError(cloud.compute.post("/os-server-groups", cloud.alpha,
                "{\"server_group\": {\"policies\": [\"affinity\"]}}"), 400, "badRequest", "name");
        String theirs = group(cloud.beta, "theirs", "affinity", Map.of());
        assertNovaError(bootReply("vm1", theirs, 1), 400, "badRequest", "Invalid server group");
        assertNovaError(bootReply("vm1", java.util.UUID.randomUUID().toString(), 1), 400, "badRequest",
                "Invalid server group");
        assertNovaError(bootReply("vm1", "not-a-uuid", 1), 400, "badRequest", "group");
        assertThat(cloud.compute.get("/servers", cloud.alpha).json().get("servers")).isEmpty();
        assertNovaError(cloud.compute.get("/os-server-groups/" + theirs, cloud.alpha), 404, "itemNotFound",
                "Instance group " + theirs + " could not be found.");

        String ours = group(cloud.alpha, "ours", "affinity", Map.of());
        assertThat(names(cloud.compute.get("/os-server-groups", cloud.alpha).json())).containsExactly("ours");
        assertThat(names(cloud.compute.get("/os-server-groups?all_projects=true", cloud.admin).json()))
                .contains("ours", "theirs");
        assertThat(cloud.compute.send("DELETE", "/os-server-groups/" + ours, cloud.alpha, null).status()).isEqualTo(204);
        assertThat(cloud.compute.get("/os-server-groups/" + ours, cloud.alpha).status()).isEqualTo(404);
    }

    @Test
    void quotasLimitAProjectsGroupsAndAGroupsMembers() {
        String project = cloud.compute.send("POST", "/os-server-groups", cloud.alpha,
                "{\"server_group\": {\"name\": \"g\", \"policies\": [\"affinity\"]}}",
                Map.of("OpenStack-API-Version", "compute 2.13")).json().at("/server_group/project_id").asText();
        cloud.compute.send("PUT", "/os-quota-sets/" + project, cloud.admin,
                "{\"quota_set\": {\"server_groups\": 1, \"server_group_members\": 2}}");
        assertNovaError(cloud.compute.post("/os-server-groups", cloud.alpha,
                "{\"server_group\": {\"name\": \"h\", \"policies\": [\"affinity\"]}}"), 403, "forbidden",
                "Quota exceeded, too many server groups.");
        String group = cloud.compute.get("/os-server-groups", cloud.alpha).json().at("/server_groups/0/id").asText();
        boot("vm", group, 2);
        assertNovaError(bootReply("vm3", group, 1), 403, "forbidden", "Quota exceeded, too many servers in group");
        assertThat(cloud.compute.get("/servers", cloud.alpha).json().get("servers")).hasSize(2);
    }

    private String group(String token, String name, String policy, Map<String, String> version) {
        Http.Reply reply = cloud.compute.send("POST", "/os-server-groups", token,
                "{\"server_group\": {\"name\": \"" + name + "\", \"policies\": [\"" + policy + "\"]}}", version);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        return reply.json().at("/server_group/id").asText();
    }

    private Http.Reply bootReply(String name, String group, int count) {
        return cloud.compute.post("/servers", cloud.alpha, """
                {"server": {"name": "%s", "imageRef": "%s", "flavorRef": "1", "networks": [], "min_count": %d},
                 "os:scheduler_hints": {"group": "%s"}}""".formatted(name, cloud.defaultImage, count, group));
    }

    private String boot(String name, String group, int count) {
        Http.Reply reply = bootReply(name, group, count);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(202);
        return reply.json().at("/server/id").asText();
    }

    private String host(String serverId) {
        return cloud.compute.get("/servers/" + serverId, cloud.admin).json().at("/server/OS-EXT-SRV-ATTR:host").asText();
    }

    private static List<String> names(JsonNode body) {
        List<String> names = new ArrayList<>();
        body.get("server_groups").forEach(g -> names.add(g.get("name").asText()));
        return names;
    }
}
