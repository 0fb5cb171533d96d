package dev.portside.common.testing;

import static org.assertj.core.api.Assertions.assertThat;

/** What functional tests ask of the identity service over HTTP: tokens, and projects with a member. */
public final class Keystone {
    private final Http identity;

    public Keystone(Http identity) {
        this.identity = identity;
    }

    /** A project-scoped token for a user of the Default domain; fails the test unless issued. */
    public String token(String user, String password, String project) {
        Http.Reply reply = identity.post("/v3/auth/tokens", null, """
                {"auth": {"identity": {"methods": ["password"], "password": {"user": {"name": "%s",
                  "domain": {"id": "default"}, "password": "%s"}}},
                  "scope": {"project": {"name": "%s", "domain": {"id": "default"}}}}}""".formatted(user, password, project));
        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        return reply.header("X-Subject-Token").orElseThrow();
    }

    /** Makes a project and a user "PROJECT-user" (password "pw") with the member role on it; returns the user's token. */
    public String member(String adminToken, String project) {
        String projectId = identity.post("/v3/projects", adminToken, "{\"project\": {\"name\": \"" + project + "\"}}")
                .json().at("/project/id").asText();
        String userId = identity.post("/v3/users", adminToken, "{\"user\": {\"name\": \"" + project + "-user\","
                + " \"password\": \"pw\", \"default_project_id\": \"" + projectId + "\"}}").json().at("/user/id").asText();
        String roleId = identity.get("/v3/roles?name=member", adminToken).json().at("/roles/0/id").asText();
        identity.send("PUT", "/v3/projects/" + projectId + "/users/" + userId + "/roles/" + roleId, adminToken, null);
        return token(project + "-user", "pw", project);
    }
}
