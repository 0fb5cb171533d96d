package dev.portside.app;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * End to end: an admin sets a project's compute, network and image quotas with the unmodified
 * openstack CLI (quota show/set/list, and Keystone's registered limits and limits for Glance), and
 * the project's member meets them.
 */
class QuotaCliTest {
    @TempDir
    static Path dataDir;
    static ServeProcess portside;
    static OpenstackCli admin;
    static OpenstackCli alice;

    @BeforeAll
    static void serve() throws Exception {
        portside = new ServeProcess(dataDir.resolve("portside")).awaitReady();
        admin = new OpenstackCli(portside.openrcVariables());
        admin.ok("project", "create", "demo");
        admin.ok("user", "create", "--project", "demo", "--password", "s3cret", "alice");
        admin.ok("role", "add", "--project", "demo", "--user", "alice", "member");
        alice = admin.with("OS_USERNAME", "alice").with("OS_PASSWORD", "s3cret").with("OS_PROJECT_NAME", "demo");
    }

    @AfterAll
    static void stop() throws Exception {
        portside.close();
    }

    @Test
    void computeAndNetworkQuotasAreShownSetListedAndEnforced() throws Exception {
        JsonNode defaults = admin.json("quota", "show", "demo");
        assertThat(defaults.get("instances").asInt()).isEqualTo(10);
        assertThat(defaults.get("networks").asInt()).isEqualTo(100);
        assertThat(defaults.get("ports").asInt()).isEqualTo(500);

        admin.ok("quota", "set", "--instances", "1", "--networks", "1", "--key-pairs", "5", "demo");
        JsonNode set = admin.json("quota", "show", "demo");
        assertThat(set.get("instances").asInt()).isEqualTo(1);
        assertThat(set.get("networks").asInt()).isEqualTo(1);
        assertThat(set.get("key-pairs").asInt()).isEqualTo(5);
        assertThat(admin.json("quota", "list", "--compute").findValuesAsText("Instances")).contains("1");
        assertThat(admin.json("quota", "list", "--network").findValuesAsText("Networks")).contains("1");

        alice.ok("network", "create", "first");
        OpenstackCli.Result second = alice.run("network", "create", "second");
        assertThat(second.exit()).as(second.toString()).isNotZero();
        assertThat(second.err()).contains("Quota exceeded for resources: ['network']");

        OpenstackCli.Result refused = alice.run("quota", "set", "--networks", "50", "demo");
        assertThat(refused.exit()).as(refused.toString()).isNotZero();
        assertThat(alice.json("limits", "show", "--absolute").findValuesAsText("Value")).contains("1");
    }

    @Test
    void imageQuotasComeFromKeystonesUnifiedLimitsAsInGlance() throws Exception {
        admin.ok("registered", "limit", "create", "--service", "glance", "--default-limit", "5", "image_count_total");
        admin.ok("limit", "create", "--project", "demo", "--service", "glance", "--resource-limit", "1", "image_count_total");
        assertThat(admin.json("limit", "list").findValuesAsText("Resource Name")).contains("image_count_total");

        alice.ok("image", "create", "one");
        OpenstackCli.Result second = alice.run("image", "create", "two");
        assertThat(second.exit()).as(second.toString()).isNotZero();
        assertThat(second.out() + second.err()).contains("image_count_total is over limit of 1");

        // The admin's own project gets the registered default, 5, not demo's 1.
        admin.ok("image", "create", "admins-one");
        admin.ok("image", "create", "admins-two");
    }
}
