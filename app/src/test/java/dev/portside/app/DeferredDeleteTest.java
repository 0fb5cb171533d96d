package dev.portside.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portside.agent.Power;
import dev.portside.common.testing.Http;
import dev.portside.common.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static dev.portside.app.Cloud.assertNovaError;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Nova's deferred delete, with {@code reclaim_instance_interval} set: a deleted server that has run
 * is soft-deleted (powered off on its host, its ports kept, its quota given back), restorable until
 * the interval has passed, then reclaimed; forceDelete deletes it at once.
 */
class DeferredDeleteTest {
    @TempDir
    Path dataDir;
    Cloud cloud;
    String net;

    static List<TestDatabase> databases() {
        return TestDatabase.configured();
    }

    private String start(TestDatabase database, int reclaimSeconds, String hosts) throws Exception {
        cloud = new Cloud(database, dataDir, "reclaim_instance_interval: " + reclaimSeconds + "\n" + hosts);
        net = cloud.network(cloud.alpha, "net", "10.69.0.0/24");
        String id = cloud.bootOk(cloud.alpha, "vm1", "[{\"uuid\": \"" + net + "\"}]");
        cloud.settled(cloud.alpha, id);
        return id;
    }

    @AfterEach
    void stop() {
        if (cloud != null) {
            // Cloud's own clean-up DELETEs, which would only soft-delete here.
            for (JsonNode server : cloud.compute.get("/servers?all_tenants=1", cloud.admin).json().path("servers")) {
                cloud.compute.post("/servers/" + server.get("id").asText() + "/action", cloud.admin,
                        "{\"forceDelete\": null}");
                cloud.gone(cloud.admin, server.get("id").asText());
            }
            cloud.close();
        }
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aDeletedServerIsSoftDeletedPoweredOffWithItsPortsAndRestoredActive(TestDatabase database) throws Exception {
        String id = start(database, 3600, "fake_hosts: [{name: host1}]\n");
        String port = portOf(id);

        assertThat(delete(id)).isEqualTo(204);
        JsonNode soft = cloud.settled(cloud.admin, id);
        assertThat(soft.get("status").asText()).isEqualTo("SOFT_DELETED");
        assertThat(soft.get("OS-EXT-STS:vm_state").asText()).isEqualTo("soft-delete");
        assertThat(soft.get("OS-EXT-STS:power_state").asInt()).as("shut down").isEqualTo(4);
        assertThat(cloud.driver().instances("host1").get(id).power()).isEqualTo(Power.SHUTDOWN);
        assertThat(cloud.portShow(port).get("device_id").asText()).as("its port kept").isEqualTo(id);
        assertThat(cloud.compute.get("/servers?status=SOFT_DELETED", cloud.alpha).json().at("/servers/0/id").asText())
                .isEqualTo(id);
        assertThat(cloud.compute.get("/limits", cloud.alpha).json().at("/limits/absolute/totalInstancesUsed").asInt())
                .as("a soft-deleted server holds no quota").isZero();
        assertNovaError(action(id, "{\"os-start\": null}"), 409, "conflictingRequest", "vm_state soft-delete");

        assertThat(action(id, "{\"restore\": null}").status()).isEqualTo(202);
        JsonNode restored = cloud.settled(cloud.alpha, id);
        assertThat(restored.get("status").asText()).isEqualTo("ACTIVE");
        assertThat(cloud.driver().instances("host1").get(id).power()).isEqualTo(Power.RUNNING);
        assertThat(cloud.compute.get("/limits", cloud.alpha).json().at("/limits/absolute/totalInstancesUsed").asInt())
                .isEqualTo(1);
        assertNovaError(action(id, "{\"restore\": null}"), 409, "conflictingRequest", "vm_state active");
        assertThat(cloud.compute.get("/servers/" + id + "/os-instance-actions", cloud.alpha).json()
                .findValuesAsText("action")).containsSubsequence("restore", "delete", "create");
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aRestartKeepsASoftDeletedServerPoweredOffOnItsHostAndRestorable(TestDatabase database) throws Exception {
        String id = start(database, 3600, "fake_hosts: [{name: host1}]\n");
        assertThat(delete(id)).isEqualTo(204);
        cloud.settled(cloud.alpha, id);

        cloud.restart();
        assertThat(cloud.driver().instances("host1").get(id)).as("recovery keeps it, powered off").isNotNull()
                .extracting(dev.portside.compute.virt.FakeDriver.Instance::power).isEqualTo(Power.SHUTDOWN);
        assertThat(action(id, "{\"restore\": null}").status()).isEqualTo(202);
        assertThat(cloud.settled(cloud.alpha, id).get("status").asText()).isEqualTo("ACTIVE");
    }

    @ParameterizedTest
    @MethodSource("databases")
    void forceDeleteTakesASoftDeletedServerAndItsPortsAtOnce(TestDatabase database) throws Exception {
        String id = start(database, 3600, "fake_hosts: [{name: host1}]\n");
        String port = portOf(id);
        assertThat(delete(id)).isEqualTo(204);
        cloud.settled(cloud.alpha, id);

        assertThat(action(id, "{\"forceDelete\": null}").status()).isEqualTo(202);
        cloud.gone(cloud.alpha, id);
        assertThat(cloud.driver().instances("host1")).doesNotContainKey(id);
        assertThat(cloud.network.get("/v2.0/ports/" + port, cloud.admin).status()).as("the port compute made")
                .isEqualTo(404);
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aRestoreMustFitTheQuotaTheSoftDeletedServerGaveBack(TestDatabase database) throws Exception {
        String id = start(database, 3600, "fake_hosts: [{name: host1}]\n");
        String project = cloud.identity.get("/v3/projects?name=alpha", cloud.admin).json().at("/projects/0/id").asText();
        assertThat(cloud.compute.send("PUT", "/os-quota-sets/" + project, cloud.admin,
                "{\"quota_set\": {\"instances\": 1}}").status()).isEqualTo(200);
        assertThat(delete(id)).isEqualTo(204);
        cloud.settled(cloud.alpha, id);
        cloud.settled(cloud.alpha, cloud.bootOk(cloud.alpha, "vm2", "[{\"uuid\": \"" + net + "\"}]"));

        assertNovaError(action(id, "{\"restore\": null}"), 403, "forbidden", "Quota exceeded for instances");
        assertThat(cloud.settled(cloud.alpha, id).get("status").asText()).as("still restorable").isEqualTo("SOFT_DELETED");
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aSoftDeletedServerIsReclaimedOnceTheIntervalHasPassed(TestDatabase database) throws Exception {
        String id = start(database, 1, "fake_hosts: [{name: host1}]\n");
        assertThat(delete(id)).isEqualTo(204);
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (cloud.compute.get("/servers/" + id, cloud.alpha).status() != 404 && Instant.now().isBefore(deadline)) {
            Cloud.pause();
        }
        assertThat(cloud.compute.get("/servers/" + id, cloud.alpha).status()).isEqualTo(404);
        assertThat(cloud.driver().instances("host1")).doesNotContainKey(id);
    }

    @ParameterizedTest
    @MethodSource("databases")
    void aServerThatNeverRanIsDeletedAtOnce(TestDatabase database) throws Exception {
        String id = start(database, 3600, "fake_hosts: [{name: host1, behaviour: fail-spawn}]\n");
        assertThat(cloud.settled(cloud.alpha, id).get("status").asText()).isEqualTo("ERROR");
        assertThat(delete(id)).isEqualTo(204);
        cloud.gone(cloud.alpha, id);
    }

    private int delete(String id) {
        return cloud.compute.send("DELETE", "/servers/" + id, cloud.alpha, null).status();
    }

    private String portOf(String id) {
        return cloud.compute.get("/servers/" + id + "/os-interface", cloud.alpha).json()
                .at("/interfaceAttachments/0/port_id").asText();
    }

    private Http.Reply action(String id, String body) {
        return cloud.compute.post("/servers/" + id + "/action", cloud.alpha, body);
    }
}
