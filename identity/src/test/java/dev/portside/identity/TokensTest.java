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

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static dev.portside.identity.IdentityServer.assertIdentityError;
import static dev.portside.identity.IdentityServer.passwordAuth;
import static org.assertj.core.api.Assertions.assertThat;

@ParameterizedClass(name = "on {0}")
@MethodSource("dev.portside.common.testing.TestDatabase#configured")
class TokensTest {
    @Parameter
    TestDatabase kind;
    IdentityServer identity;

    @BeforeEach
    void start() {
        identity = new IdentityServer(kind);
    }

    @AfterEach
    void stop() {
        identity.close();
    }

    @Test
    void aPasswordTokenScopedToAProjectCarriesItsRolesCatalogAndExpiry() {
        Http.Reply reply = identity.http.post("/v3/auth/tokens", null,
                passwordAuth("admin", identity.admin.password(), "admin"));

        assertThat(reply.status()).isEqualTo(201);
        assertThat(reply.header("X-Subject-Token")).isPresent();
        assertThat(reply.header("x-openstack-request-id")).hasValueSatisfying(id -> assertThat(id).startsWith("req-"));
        JsonNode token = reply.json().get("token");
        assertThat(token.get("methods").toString()).isEqualTo("[\"password\"]");
        assertThat(token.at("/user/name").asText()).isEqualTo("admin");
        assertThat(token.at("/user/domain/id").asText()).isEqualTo("default");
        assertThat(token.at("/project/name").asText()).isEqualTo("admin");
        assertThat(token.at("/project/domain/name").asText()).isEqualTo("Default");
        assertThat(token.get("roles").findValuesAsText("name")).containsExactlyInAnyOrder("admin", "member", "reader");
        assertThat(token.at("/catalog/0/type").asText()).isEqualTo("identity");
        assertThat(token.at("/catalog/0/endpoints").findValuesAsText("interface"))
                .containsExactlyInAnyOrder("public", "internal", "admin");
        assertThat(token.get("audit_ids")).hasSize(1);
        Instant issued = Instant.parse(token.get("issued_at").asText());
        Instant expires = Instant.parse(token.get("expires_at").asText());
        assertThat(Duration.between(issued, expires)).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void aWrongPasswordIsRefusedWith401InKeystonesErrorFormat() {
        Http.Reply reply = identity.http.post("/v3/auth/tokens", null, passwordAuth("admin", "not-the-password", "admin"));

        assertIdentityError(reply, 401);
        assertThat(reply.json().at("/error/title").asText()).isEqualTo("Unauthorized");
        assertThat(reply.header("X-Subject-Token")).isEmpty();
    }

    @Test
    void anUnknownUserGetsTheSame401AsAWrongPassword() {
        Http.Reply reply = identity.http.post("/v3/auth/tokens", null, passwordAuth("nobody", "x", "admin"));

        assertIdentityError(reply, 401);
        assertThat(reply.json().at("/error/message").asText())
                .isEqualTo("The request you have made requires authentication.");
    }

    @Test
    void aRevokedTokenIsRefusedWith401WhileTheUsersOtherTokensStillWork() {
        String revoked = identity.adminToken();
        String other = identity.adminToken();

        Http.Reply revoke = identity.http.send("DELETE", "/v3/auth/tokens", other, null, Map.of("X-Subject-Token", revoked));

        assertThat(revoke.status()).isEqualTo(204);
        assertIdentityError(identity.http.get("/v3/users", revoked), 401);
        assertThat(identity.http.get("/v3/users", other).status()).isEqualTo(200);
        assertIdentityError(identity.http.send("GET", "/v3/auth/tokens", other, null, Map.of("X-Subject-Token", revoked)), 404);
    }

    @Test
    void anExpiredTokenIsRefusedWith401() {
        String token = identity.adminToken();
        assertThat(identity.http.get("/v3/users", token).status()).isEqualTo(200);

        identity.clock.advance(Duration.ofHours(1).plusSeconds(1));

        assertIdentityError(identity.http.get("/v3/users", token), 401);
    }

    @Test
    void aTokenWithAnAlteredPayloadOrSignatureIsRefused() {
        String token = identity.adminToken();
        String[] parts = token.split("\\.");
        String forgedSignature = parts[0] + "." + parts[1] + "." + new StringBuilder(parts[2]).reverse();

        assertIdentityError(identity.http.get("/v3/users", forgedSignature), 401);
        assertIdentityError(identity.http.get("/v3/users", "not-a-token"), 401);
        assertIdentityError(identity.http.get("/v3/users", null), 401);
    }

    @Test
    void validatingATokenReturnsItAndHeadChecksIt() {
        String admin = identity.adminToken();
        String subject = identity.adminToken();

        Http.Reply shown = identity.http.send("GET", "/v3/auth/tokens", admin, null, Map.of("X-Subject-Token", subject));
        Http.Reply checked = identity.http.send("HEAD", "/v3/auth/tokens", admin, null, Map.of("X-Subject-Token", subject));

        assertThat(shown.status()).isEqualTo(200);
        assertThat(shown.header("X-Subject-Token")).hasValue(subject);
        assertThat(shown.json().at("/token/project/name").asText()).isEqualTo("admin");
        assertThat(checked.status()).isEqualTo(200);
    }

    @Test
    void rescopingByTokenKeepsTheExpiryAndTheAuditChain() {
        String adminToken = identity.adminToken();
        identity.createMember(adminToken, "demo", "alice", "s3cret", "member");
        Http.Reply unscoped = identity.http.post("/v3/auth/tokens", null, """
                {"auth": {"identity": {"methods": ["password"], "password": {"user": {"name": "alice",
                  "domain": {"name": "Default"}, "password": "s3cret"}}}, "scope": "unscoped"}}""");
        assertThat(unscoped.status()).isEqualTo(201);
        assertThat(unscoped.json().get("token").has("project")).isFalse();
        assertThat(unscoped.json().get("token").has("catalog")).isFalse();
        identity.clock.advance(Duration.ofMinutes(10));

        Http.Reply rescoped = identity.http.post("/v3/auth/tokens", null, """
                {"auth": {"identity": {"methods": ["token"], "token": {"id": "%s"}},
                  "scope": {"project": {"name": "demo", "domain": {"id": "default"}}}}}"""
                .formatted(unscoped.header("X-Subject-Token").orElseThrow()));

        assertThat(rescoped.status()).as(rescoped.toString()).isEqualTo(201);
        JsonNode token = rescoped.json().get("token");
        assertThat(token.at("/project/name").asText()).isEqualTo("demo");
        assertThat(token.get("expires_at")).isEqualTo(unscoped.json().at("/token/expires_at"));
        assertThat(token.get("audit_ids").get(1)).isEqualTo(unscoped.json().at("/token/audit_ids/0"));
    }

    @Test
    void withoutAScopeTheTokenIsScopedToTheUsersDefaultProject() {
        identity.createMember(identity.adminToken(), "demo", "alice", "s3cret", "member");

        Http.Reply reply = identity.http.post("/v3/auth/tokens", null, """
                {"auth": {"identity": {"methods": ["password"], "password": {"user": {"name": "alice",
                  "domain": {"id": "default"}, "password": "s3cret"}}}}}""");

        assertThat(reply.status()).isEqualTo(201);
        assertThat(reply.json().at("/token/project/name").asText()).isEqualTo("demo");
        assertThat(reply.json().at("/token/roles").findValuesAsText("name")).containsExactlyInAnyOrder("member", "reader");
    }

    @Test
    void aScopeTheUserHasNoRoleOnIsRefused() {
        identity.createMember(identity.adminToken(), "demo", "alice", "s3cret", "member");

        assertIdentityError(identity.http.post("/v3/auth/tokens", null, passwordAuth("alice", "s3cret", "admin")), 401);
    }

    @Test
    void removingTheLastRoleInvalidatesTokensScopedByIt() {
        String admin = identity.adminToken();
        String aliceId = identity.createMember(admin, "demo", "alice", "s3cret", "member");
        String alice = identity.token("alice", "s3cret", "demo");
        String projectId = identity.http.get("/v3/projects?name=demo", admin).json().at("/projects/0/id").asText();
        String memberId = identity.http.get("/v3/roles?name=member", admin).json().at("/roles/0/id").asText();
        assertThat(identity.http.get("/v3/auth/projects", alice).status()).isEqualTo(200);

        assertThat(identity.http.send("DELETE", "/v3/projects/" + projectId + "/users/" + aliceId + "/roles/" + memberId,
                admin, null).status()).isEqualTo(204);

        assertIdentityError(identity.http.get("/v3/auth/projects", alice), 401);
    }

    @Test
    void aDisabledUserCannotAuthenticateAndLosesItsTokens() {
        String admin = identity.adminToken();
        String aliceId = identity.createMember(admin, "demo", "alice", "s3cret", "member");
        String alice = identity.token("alice", "s3cret", "demo");

        assertThat(identity.http.send("PATCH", "/v3/users/" + aliceId, admin, "{\"user\": {\"enabled\": false}}")
                .status()).isEqualTo(200);

        assertIdentityError(identity.http.get("/v3/auth/projects", alice), 401);
        assertIdentityError(identity.http.post("/v3/auth/tokens", null, passwordAuth("alice", "s3cret", "demo")), 401);
    }

    @Test
    void aMemberMayValidateItsOwnTokenButNotSomeoneElses() {
        String admin = identity.adminToken();
        identity.createMember(admin, "demo", "alice", "s3cret", "member");
        String alice = identity.token("alice", "s3cret", "demo");

        assertThat(identity.http.send("GET", "/v3/auth/tokens", alice, null, Map.of("X-Subject-Token", alice)).status())
                .isEqualTo(200);
        assertIdentityError(identity.http.send("GET", "/v3/auth/tokens", alice, null, Map.of("X-Subject-Token", admin)), 403);
    }

    @Test
    void aDomainScopedTokenCarriesTheDomainAndTheRolesHeldOnIt() {
        Http.Reply reply = identity.http.post("/v3/auth/tokens", null, """
                {"auth": {"identity": {"methods": ["password"], "password": {"user": {"name": "admin",
                  "domain": {"id": "default"}, "password": "%s"}}}, "scope": {"domain": {"name": "Default"}}}}"""
                .formatted(identity.admin.password()));

        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        JsonNode token = reply.json().get("token");
        assertThat(token.at("/domain/id").asText()).isEqualTo("default");
        assertThat(token.has("project")).isFalse();
        assertThat(token.get("roles").findValuesAsText("name")).contains("admin");
        String domainToken = reply.header("X-Subject-Token").orElseThrow();
        assertThat(identity.http.get("/v3/domains/default", domainToken).status()).isEqualTo(200);
    }

    @Test
    void aDomainScopeWithoutARoleOnItIsRefused() {
        identity.createMember(identity.adminToken(), "demo", "alice", "s3cret", "member");

        assertIdentityError(identity.http.post("/v3/auth/tokens", null, """
                {"auth": {"identity": {"methods": ["password"], "password": {"user": {"name": "alice",
                  "domain": {"id": "default"}, "password": "s3cret"}}}, "scope": {"domain": {"id": "default"}}}}"""), 401);
    }

    @Test
    void theCatalogIsServedToAnyValidToken() {
        Http.Reply reply = identity.http.get("/v3/auth/catalog", identity.adminToken());

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().at("/catalog/0/name").asText()).isEqualTo("keystone");
    }
}
