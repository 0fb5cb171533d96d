package dev.portside.app;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * End to end: a real {@code portside serve}, the openrc it writes, and the unmodified openstack CLI,
 * walking the foundation's acceptance steps in order, as a new user would.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OpenstackCliTest {
    @TempDir
    static Path dataDir;
    static ServeProcess portside;
    static OpenstackCli admin;

    @BeforeAll
    static void serve() throws Exception {
        portside = new ServeProcess(dataDir.resolve("portside")).awaitReady();
        admin = new OpenstackCli(portside.openrcVariables());
    }

    @AfterAll
    static void stop() throws Exception {
        portside.close();
    }

    @Test
    @Order(1)
    void serveWritesAnOpenrcOnlyItsOwnerCanRead() throws Exception {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(portside.openrc()))).isEqualTo("rw-------");
        assertThat(portside.openrcVariables()).containsEntry("OS_AUTH_URL", portside.url() + "/v3")
                .containsEntry("OS_USERNAME", "admin").containsEntry("OS_PROJECT_NAME", "admin")
                .containsKey("OS_PASSWORD");
        assertThat(portside.output()).contains(portside.openrc().toString());
    }

    @Test
    @Order(2)
    void tokenIssuePrintsTheTokensFields() throws Exception {
        OpenstackCli.Result table = admin.run("token", "issue");
        OpenstackCli.Result json = admin.run("token", "issue", "-f", "json");

        assertThat(table.exit()).as(table.toString()).isZero();
        assertThat(table.out()).contains("| expires", "| id", "| project_id", "| user_id");
        assertThat(json.json().get("expires").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*");
        assertThat(json.json().get("id").asText()).isNotBlank();
    }

    @Test
    @Order(3)
    void catalogListShowsTheIdentityEndpoints() throws Exception {
        OpenstackCli.Result result = admin.run("catalog", "list", "-f", "json");

        assertThat(result.exit()).as(result.toString()).isZero();
        JsonNode identity = result.json().get(0);
        assertThat(identity.get("Name").asText()).isEqualTo("keystone");
        assertThat(identity.get("Type").asText()).isEqualTo("identity");
        assertThat(identity.get("Endpoints").toString()).contains(portside.url() + "/v3").contains("public");
    }

    @Test
    @Order(4)
    void anAdminCreatesAProjectAUserAndGrantsARole() throws Exception {
        OpenstackCli.Result project = admin.run("project", "create", "demo", "-f", "json");
        assertThat(project.exit()).as(project.toString()).isZero();
        assertThat(project.json().get("name").asText()).isEqualTo("demo");
        assertThat(project.json().get("domain_id").asText()).isEqualTo("default");

        OpenstackCli.Result user = admin.run("user", "create", "--project", "demo", "--password", "s3cret", "alice", "-f", "json");
        assertThat(user.exit()).as(user.toString()).isZero();
        assertThat(user.json().get("default_project_id").asText()).isEqualTo(project.json().get("id").asText());

        OpenstackCli.Result grant = admin.run("role", "add", "--project", "demo", "--user", "alice", "member");
        assertThat(grant.exit()).as(grant.toString()).isZero();

        OpenstackCli.Result assignments = admin.run("role", "assignment", "list", "--names", "--project", "demo", "-f", "json");
        assertThat(assignments.exit()).as(assignments.toString()).isZero();
        assertThat(assignments.json().get(0).get("Role").asText()).isEqualTo("member");
        assertThat(assignments.json().get(0).get("User").asText()).isEqualTo("alice@Default");
    }

    @Test
    @Order(5)
    void aliceGetsATokenForHerProject() throws Exception {
        OpenstackCli.Result result = alice().run("token", "issue", "-f", "json");
        OpenstackCli.Result demo = admin.run("project", "show", "demo", "-f", "json");

        assertThat(result.exit()).as(result.toString()).isZero();
        assertThat(result.json().get("project_id").asText()).isEqualTo(demo.json().get("id").asText());
    }

    @Test
    @Order(6)
    void aliceAsAMemberMayNotCreateAProject() throws Exception {
        OpenstackCli.Result result = alice().run("project", "create", "hers");

        assertThat(result.exit()).isNotZero();
        assertThat(result.err()).contains("HTTP 403").contains("identity:create_project");
    }

    @Test
    @Order(7)
    void aWrongPasswordIsRefused() throws Exception {
        OpenstackCli.Result result = alice().with("OS_PASSWORD", "wrong").run("token", "issue");

        assertThat(result.exit()).isNotZero();
        assertThat(result.err()).contains("HTTP 401");
    }

    @Test
    @Order(8)
    void anAdminListsShowsAndDeletesWhatItMade() throws Exception {
        assertThat(admin.run("user", "list", "-f", "json").json().findValuesAsText("Name")).contains("admin", "alice");
        assertThat(admin.run("role", "list", "-f", "json").json().findValuesAsText("Name"))
                .contains("admin", "member", "reader");
        assertThat(admin.run("user", "delete", "alice").exit()).isZero();
        assertThat(admin.run("project", "delete", "demo").exit()).isZero();
        assertThat(admin.run("project", "list", "-f", "json").json().findValuesAsText("Name")).containsExactly("admin");
    }

    private static OpenstackCli alice() {
        return admin.with("OS_USERNAME", "alice").with("OS_PASSWORD", "s3cret").with("OS_PROJECT_NAME", "demo");
    }
}
