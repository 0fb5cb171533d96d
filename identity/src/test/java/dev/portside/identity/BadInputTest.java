package dev.portside.identity;

import dev.portside.common.testing.Http;
import dev.portside.common.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Map;

import static dev.portside.identity.IdentityServer.assertIdentityError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.SoftAssertions.assertSoftly;

/** Malformed requests across the Identity API: each gets the right 4xx in Keystone's format and writes nothing. */
@ParameterizedClass(name = "on {0}")
@MethodSource("dev.portside.common.testing.TestDatabase#configured")
class BadInputTest {
    @Parameter
    TestDatabase kind;
    IdentityServer identity;

    record Case(String why, String method, String path, String body, int status, Map<String, String> headers) {
        Case(String why, String method, String path, String body, int status) {
            this(why, method, path, body, status, Map.of());
        }
    }

    @BeforeEach
    void start() {
        identity = new IdentityServer(kind);
    }

    @AfterEach
    void stop() {
        identity.close();
    }

    @Test
    void everyMalformedRequestGetsItsOwn4xxAndLeavesTheDatabaseUnchanged() {
        String admin = identity.adminToken();
        String userId = identity.http.get("/v3/users?name=admin", admin).json().at("/users/0/id").asText();
        String projectId = identity.http.get("/v3/projects?name=admin", admin).json().at("/projects/0/id").asText();
        String longName = "x".repeat(65);
        List<Case> cases = List.of(
                new Case("malformed JSON", "POST", "/v3/projects", "{\"project\": {\"name\": ", 400),
                new Case("JSON that is not an object", "POST", "/v3/projects", "[1, 2]", 400),
                new Case("empty body", "POST", "/v3/projects", "", 400),
                new Case("missing wrapper", "POST", "/v3/projects", "{\"name\": \"p\"}", 400),
                new Case("unknown attribute", "POST", "/v3/projects", "{\"project\": {\"name\": \"p\", \"colour\": \"red\"}}", 400),
                new Case("wrong type for name", "POST", "/v3/projects", "{\"project\": {\"name\": 42}}", 400),
                new Case("wrong type for enabled", "POST", "/v3/projects", "{\"project\": {\"name\": \"p\", \"enabled\": \"yes\"}}", 400),
                new Case("name too long", "POST", "/v3/projects", "{\"project\": {\"name\": \"" + longName + "\"}}", 400),
                new Case("blank name", "POST", "/v3/projects", "{\"project\": {\"name\": \"  \"}}", 400),
                new Case("unknown domain", "POST", "/v3/projects", "{\"project\": {\"name\": \"p\", \"domain_id\": \"nope\"}}", 400),
                new Case("a tag with a slash", "POST", "/v3/projects", "{\"project\": {\"name\": \"p\", \"tags\": [\"a/b\"]}}", 400),
                new Case("duplicate keys", "POST", "/v3/projects", "{\"project\": {\"name\": \"p\", \"name\": \"q\"}}", 400),
                new Case("trailing garbage", "POST", "/v3/projects", "{\"project\": {\"name\": \"p\"}} x", 400),
                new Case("duplicate project name", "POST", "/v3/projects", "{\"project\": {\"name\": \"admin\"}}", 409),
                new Case("user with unknown default project", "POST", "/v3/users",
                        "{\"user\": {\"name\": \"u\", \"default_project_id\": \"nope\"}}", 400),
                new Case("duplicate user name", "POST", "/v3/users", "{\"user\": {\"name\": \"admin\"}}", 409),
                new Case("password not a string", "POST", "/v3/users", "{\"user\": {\"name\": \"u\", \"password\": 7}}", 400),
                new Case("role name missing", "POST", "/v3/roles", "{\"role\": {}}", 400),
                new Case("duplicate role name", "POST", "/v3/roles", "{\"role\": {\"name\": \"member\"}}", 409),
                new Case("grant of an unknown role", "PUT", "/v3/projects/" + projectId + "/users/" + userId + "/roles/nope", null, 404),
                new Case("moving a project to another domain", "PATCH", "/v3/projects/" + projectId,
                        "{\"project\": {\"domain_id\": \"elsewhere\"}}", 400),
                new Case("update of an unknown user", "PATCH", "/v3/users/nope", "{\"user\": {\"enabled\": false}}", 404),
                new Case("delete of an unknown project", "DELETE", "/v3/projects/nope", null, 404),
                new Case("wrong media type", "POST", "/v3/projects", "name=p", 415, Map.of("Content-Type", "text/plain")),
                new Case("oversized body", "POST", "/v3/projects",
                        "{\"project\": {\"name\": \"p\", \"description\": \"" + "d".repeat(2 * 1024 * 1024) + "\"}}", 413),
                new Case("unknown path", "GET", "/v3/nothing-here", null, 404),
                new Case("unsupported method", "PUT", "/v3/projects", "{}", 405),
                new Case("auth without identity", "POST", "/v3/auth/tokens", "{\"auth\": {}}", 400),
                new Case("auth with an empty methods list", "POST", "/v3/auth/tokens",
                        "{\"auth\": {\"identity\": {\"methods\": []}}}", 400),
                new Case("auth with an unsupported method", "POST", "/v3/auth/tokens",
                        "{\"auth\": {\"identity\": {\"methods\": [\"totp\"]}}}", 401),
                new Case("scope naming a project and a domain", "POST", "/v3/auth/tokens",
                        "{\"auth\": {\"identity\": {\"methods\": [\"password\"], \"password\": {\"user\": {\"id\": \"x\","
                                + " \"password\": \"y\"}}}, \"scope\": {\"project\": {\"id\": \"p\"}, \"domain\": {\"id\": \"d\"}}}}", 400),
                new Case("validation without a subject token", "GET", "/v3/auth/tokens", null, 400),
                new Case("boolean filter that is not a boolean", "GET", "/v3/projects?enabled=maybe", null, 400));
        var before = identity.snapshot();

        assertSoftly(softly -> {
            for (Case c : cases) {
                Map<String, String> headers = c.headers();
                Http.Reply reply = identity.http.send(c.method(), c.path(), admin, c.body(), headers);
                softly.assertThat(reply.status()).as(c.why() + ": " + reply).isEqualTo(c.status());
                softly.assertThat(reply.json().at("/error/code").asInt()).as(c.why() + " error body").isEqualTo(c.status());
                softly.assertThat(reply.text()).as(c.why() + " leaks no stack trace").doesNotContain("\tat ", "Exception");
            }
        });
        assertThat(cases).hasSizeGreaterThanOrEqualTo(15);
        assertThat(identity.snapshot()).isEqualTo(before);
    }

    @Test
    void errorMessagesNameTheOffendingField() {
        String admin = identity.adminToken();

        Http.Reply reply = identity.http.post("/v3/projects", admin, "{\"project\": {\"name\": \"p\", \"colour\": \"red\"}}");

        assertIdentityError(reply, 400);
        assertThat(reply.json().at("/error/message").asText())
                .isEqualTo("Invalid input for field 'project': Additional properties are not allowed ('colour' was unexpected)");
        assertThat(identity.http.post("/v3/projects", admin, "{\"project\": {\"name\": 42}}").json().at("/error/message")
                .asText()).isEqualTo("Invalid input for field 'project/name': 42 is not of type 'string'");
    }
}
