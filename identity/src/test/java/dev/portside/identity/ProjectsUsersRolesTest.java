package dev.portside.identity;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portside.common.testing.Http;
import dev.portside.common.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static dev.portside.identity.IdentityServer.assertIdentityError;
import static org.assertj.core.api.Assertions.assertThat;

@ParameterizedClass(name = "on {0}")
@MethodSource("dev.portside.common.testing.TestDatabase#configured")
class ProjectsUsersRolesTest {
    @Parameter
    TestDatabase kind;
    IdentityServer identity;
    Http http;
    String admin;

    @BeforeEach
    void start() {
        identity = new IdentityServer(kind);
        http = identity.http;
        admin = identity.adminToken();
    }

    @AfterEach
    void stop() {
        identity.close();
    }

    @Test
    void aProjectIsCreatedListedByNameShownUpdatedAndDeleted() {
        Http.Reply created = http.post("/v3/projects", admin,
                "{\"project\": {\"name\": \"demo\", \"description\": \"for tests\", \"tags\": [\"a\", \"b\"]}}");
        assertThat(created.status()).isEqualTo(201);
        JsonNode project = created.json().get("project");
        String id = project.get("id").asText();
        assertThat(project.get("domain_id").asText()).isEqualTo("default");
        assertThat(project.get("parent_id").asText()).isEqualTo("default");
        assertThat(project.get("enabled").asBoolean()).isTrue();
        assertThat(project.get("is_domain").asBoolean()).isFalse();
        assertThat(project.at("/links/self").asText()).endsWith("/v3/projects/" + id);

        assertThat(http.get("/v3/projects?name=demo", admin).json().get("projects").findValuesAsText("id")).containsExactly(id);
        assertThat(http.get("/v3/projects/" + id, admin).json().at("/project/tags").toString()).isEqualTo("[\"a\",\"b\"]");

        Http.Reply updated = http.send("PATCH", "/v3/projects/" + id, admin,
                "{\"project\": {\"description\": null, \"enabled\": false}}");
        assertThat(updated.status()).isEqualTo(200);
        assertThat(updated.json().at("/project/enabled").asBoolean()).isFalse();
        assertThat(updated.json().at("/project/description").asText()).isEmpty();
        assertThat(updated.json().at("/project/name").asText()).isEqualTo("demo");

        assertThat(http.send("DELETE", "/v3/projects/" + id, admin, null).status()).isEqualTo(204);
        assertIdentityError(http.get("/v3/projects/" + id, admin), 404);
        assertThat(http.get("/v3/projects/" + id, admin).json().at("/error/message").asText())
                .isEqualTo("Could not find project: " + id + ".");
    }

    @Test
    void twoProjectsCannotShareANameInADomainEvenWhenCreatedAtOnce() throws Exception {
        List<Callable<Integer>> creates = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            creates.add(() -> http.post("/v3/projects", admin, "{\"project\": {\"name\": \"same\"}}").status());
        }
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Integer> statuses = new ArrayList<>();
        for (Future<Integer> status : pool.invokeAll(creates)) {
            statuses.add(status.get());
        }
        pool.shutdown();

        assertThat(statuses).containsOnly(201, 409).filteredOn(s -> s == 201).hasSize(1);
        assertThat(http.get("/v3/projects?name=same", admin).json().get("projects")).hasSize(1);
    }

    @Test
    void aUserIsCreatedWithADefaultProjectAndNeverShowsItsPassword() {
        String projectId = http.post("/v3/projects", admin, "{\"project\": {\"name\": \"demo\"}}").json().at("/project/id").asText();

        Http.Reply created = http.post("/v3/users", admin, "{\"user\": {\"name\": \"alice\", \"password\": \"s3cret\","
                + " \"default_project_id\": \"" + projectId + "\", \"email\": \"alice@example.org\"}}");

        assertThat(created.status()).isEqualTo(201);
        JsonNode user = created.json().get("user");
        assertThat(user.get("default_project_id").asText()).isEqualTo(projectId);
        assertThat(user.get("email").asText()).isEqualTo("alice@example.org");
        assertThat(user.get("password_expires_at").isNull()).isTrue();
        assertThat(created.text()).doesNotContain("s3cret").doesNotContain("password_hash");
        assertThat(http.get("/v3/users?name=alice", admin).json().get("users")).hasSize(1);
        assertThat(http.post("/v3/users", admin, "{\"user\": {\"name\": \"alice\"}}").status()).isEqualTo(409);
    }

    @Test
    void anAdminChangesAUsersPasswordAndOnlyTheNewOneWorks() {
        String aliceId = identity.createMember(admin, "demo", "alice", "old-password", "member");

        assertThat(http.send("PATCH", "/v3/users/" + aliceId, admin, "{\"user\": {\"password\": \"new-password\"}}")
                .status()).isEqualTo(200);

        assertIdentityError(http.post("/v3/auth/tokens", null,
                IdentityServer.passwordAuth("alice", "old-password", "demo")), 401);
        assertThat(http.post("/v3/auth/tokens", null, IdentityServer.passwordAuth("alice", "new-password", "demo"))
                .status()).isEqualTo(201);
    }

    @Test
    void aMemberCannotAdministerIdentityButMayReadItself() {
        String aliceId = identity.createMember(admin, "demo", "alice", "s3cret", "member");
        String alice = identity.token("alice", "s3cret", "demo");
        String demoId = http.get("/v3/projects?name=demo", admin).json().at("/projects/0/id").asText();

        assertIdentityError(http.post("/v3/projects", alice, "{\"project\": {\"name\": \"mine\"}}"), 403);
        assertIdentityError(http.post("/v3/users", alice, "{\"user\": {\"name\": \"mallory\"}}"), 403);
        assertIdentityError(http.get("/v3/users", alice), 403);
        assertIdentityError(http.get("/v3/role_assignments", alice), 403);
        assertThat(http.get("/v3/users/" + aliceId, alice).status()).isEqualTo(200);
        assertThat(http.get("/v3/projects/" + demoId, alice).status()).isEqualTo(200);
        assertThat(http.get("/v3/users/" + aliceId + "/projects", alice).json().get("projects").findValuesAsText("name"))
                .containsExactly("demo");
        assertThat(http.get("/v3/projects?name=mine", admin).json().get("projects")).isEmpty();
    }

    @Test
    void roleGrantsAreIdempotentCheckableAndListed() {
        String aliceId = identity.createMember(admin, "demo", "alice", "s3cret", "member");
        String demoId = http.get("/v3/projects?name=demo", admin).json().at("/projects/0/id").asText();
        String readerId = http.get("/v3/roles?name=reader", admin).json().at("/roles/0/id").asText();
        String grant = "/v3/projects/" + demoId + "/users/" + aliceId + "/roles/" + readerId;

        assertThat(http.send("HEAD", grant, admin, null).status()).isEqualTo(404);
        assertThat(http.send("PUT", grant, admin, null).status()).isEqualTo(204);
        assertThat(http.send("PUT", grant, admin, null).status()).isEqualTo(204);
        assertThat(http.send("HEAD", grant, admin, null).status()).isEqualTo(204);

        Http.Reply listed = http.get("/v3/role_assignments?user.id=" + aliceId + "&include_names=true", admin);
        assertThat(listed.status()).isEqualTo(200);
        assertThat(listed.json().get("role_assignments").findValuesAsText("name")).contains("member", "reader", "alice", "demo");
        assertThat(listed.json().get("role_assignments")).hasSize(2);
        assertThat(http.get("/v3/projects/" + demoId + "/users/" + aliceId + "/roles", admin).json().get("roles")
                .findValuesAsText("name")).containsExactly("member", "reader");

        assertThat(http.send("DELETE", grant, admin, null).status()).isEqualTo(204);
        assertIdentityError(http.send("DELETE", grant, admin, null), 404);
    }

    @Test
    void deletingAUserOrARoleRemovesTheirGrants() {
        String aliceId = identity.createMember(admin, "demo", "alice", "s3cret", "member");
        String bobId = identity.createMember(admin, "other", "bob", "s3cret", "reader");
        Http.Reply role = http.post("/v3/roles", admin, "{\"role\": {\"name\": \"auditor\"}}");
        assertThat(role.status()).isEqualTo(201);
        String auditorId = role.json().at("/role/id").asText();
        String demoId = http.get("/v3/projects?name=demo", admin).json().at("/projects/0/id").asText();
        assertThat(http.send("PUT", "/v3/projects/" + demoId + "/users/" + bobId + "/roles/" + auditorId, admin, null)
                .status()).isEqualTo(204);

        assertThat(http.send("DELETE", "/v3/users/" + aliceId, admin, null).status()).isEqualTo(204);
        assertThat(http.send("DELETE", "/v3/roles/" + auditorId, admin, null).status()).isEqualTo(204);

        assertThat(http.get("/v3/role_assignments?user.id=" + aliceId, admin).json().get("role_assignments")).isEmpty();
        assertThat(http.get("/v3/role_assignments?user.id=" + bobId, admin).json().get("role_assignments")
                .findValuesAsText("id")).doesNotContain(auditorId);
    }

    @Test
    void theDefaultDomainIsListedAndShown() {
        assertThat(http.get("/v3/domains", admin).json().get("domains").findValuesAsText("name")).containsExactly("Default");
        assertThat(http.get("/v3/domains/default", admin).json().at("/domain/enabled").asBoolean()).isTrue();
        assertIdentityError(http.get("/v3/domains/nope", admin), 404);
    }

    @Test
    void versionDiscoveryNeedsNoToken() {
        Http.Reply versions = http.get("/", null);
        Http.Reply v3 = http.get("/v3", null);

        assertThat(versions.status()).isEqualTo(300);
        assertThat(versions.json().at("/versions/values/0/id").asText()).isEqualTo("v3.14");
        assertThat(v3.status()).isEqualTo(200);
        assertThat(v3.json().at("/version/links/0/href").asText()).endsWith("/v3/");
    }
}
