package dev.portside.identity;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portside.common.http.ApiServer;
import dev.portside.common.testing.Http;
import dev.portside.common.testing.TestClock;
import dev.portside.common.testing.TestDatabase;
import dev.portside.identity.catalog.Catalog;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/** The identity service on a real port and a fresh database, bootstrapped, for one functional test. */
public final class IdentityServer implements AutoCloseable {
    public static final List<String> TABLES = List.of("identity_domain", "identity_project", "identity_user",
            "identity_role", "identity_project_assignment", "identity_domain_assignment", "identity_revoked_token");

    public final TestClock clock = new TestClock();
    public final Http http;
    public final Bootstrap.AdminCredentials admin;
    private final TestDatabase.Instance database;
    private final ApiServer server;

    public IdentityServer(TestDatabase kind) {
        this.database = kind.create();
        int port = Http.freePort();
        String url = "http://127.0.0.1:" + port;
        Catalog catalog = new Catalog("RegionOne", List.of(new Catalog.Service("identity", "keystone", url + "/v3")));
        // bcrypt's lowest cost keeps tests quick; the cost itself is not what they check.
        Identity identity = new Identity(database.database(),
                new Identity.Settings(url, Duration.ofHours(1), 4, catalog, Map.of()), clock);
        this.admin = identity.bootstrap().orElseThrow();
        this.server = new ApiServer(new ApiServer.Settings("identity", "127.0.0.1", port, 1024 * 1024),
                identity.errors(), identity.tokens(), identity::register).start();
        this.http = new Http(url);
    }

    /** A project-scoped token by password; fails the test unless one is issued. */
    public String token(String user, String password, String project) {
        Http.Reply reply = http.post("/v3/auth/tokens", null, passwordAuth(user, password, project));
        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        return reply.header("X-Subject-Token").orElseThrow();
    }

    public String adminToken() {
        return token(admin.userName(), admin.password(), admin.projectName());
    }

    public static String passwordAuth(String user, String password, String project) {
        return """
                {"auth": {"identity": {"methods": ["password"], "password": {"user": {"name": "%s",
                  "domain": {"id": "default"}, "password": "%s"}}},
                  "scope": {"project": {"name": "%s", "domain": {"id": "default"}}}}}""".formatted(user, password, project);
    }

    /** Creates a project, a user with a password and a role on it; returns the user's id. */
    public String createMember(String adminToken, String project, String user, String password, String role) {
        String projectId = created(http.post("/v3/projects", adminToken,
                "{\"project\": {\"name\": \"" + project + "\"}}"), "project");
        String userId = created(http.post("/v3/users", adminToken, "{\"user\": {\"name\": \"" + user
                + "\", \"password\": \"" + password + "\", \"default_project_id\": \"" + projectId + "\"}}"), "user");
        String roleId = http.get("/v3/roles?name=" + role, adminToken).json().at("/roles/0/id").asText();
        assertThat(http.send("PUT", "/v3/projects/" + projectId + "/users/" + userId + "/roles/" + roleId,
                adminToken, null).status()).isEqualTo(204);
        return userId;
    }

    private static String created(Http.Reply reply, String kind) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        return reply.json().get(kind).get("id").asText();
    }

    /** Every identity row, to show a failed request changed nothing. */
    public Map<String, List<Map<String, Object>>> snapshot() {
        Map<String, List<Map<String, Object>>> rows = new TreeMap<>();
        database.database().jdbi().useHandle(h -> {
            for (String table : TABLES) {
                rows.put(table, new ArrayList<>(h.createQuery("SELECT * FROM " + table).mapToMap().list()));
                rows.get(table).sort(java.util.Comparator.comparing(Object::toString));
            }
        });
        return rows;
    }

    public static void assertIdentityError(Http.Reply reply, int status) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(status);
        JsonNode error = reply.json().get("error");
        assertThat(error).as(reply.toString()).isNotNull();
        assertThat(error.get("code").asInt()).isEqualTo(status);
        assertThat(error.get("title").asText()).isNotBlank();
        assertThat(error.get("message").asText()).isNotBlank();
        assertThat(reply.text()).doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Override
    public void close() {
        server.close();
        database.close();
    }
}
