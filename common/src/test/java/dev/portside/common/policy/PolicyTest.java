package dev.portside.common.policy;

import dev.portside.common.auth.AuthContext;
import dev.portside.common.http.ApiException;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PolicyTest {
    static AuthContext caller(String userId, String projectId, String... roles) {
        return new AuthContext(userId, "name", "default", Optional.of(new AuthContext.Scope(projectId, "p", "default")),
                Optional.empty(), Set.of(roles), List.of("password"), Instant.now(), List.of("audit"));
    }

    static final Map<String, String> DEFAULTS = Map.ofEntries(
            Map.entry("admin_required", "role:admin"),
            Map.entry("owner", "project_id:%(target.project_id)s"),
            Map.entry("get", "rule:admin_required or rule:owner"),
            Map.entry("member_of_project", "role:member and project_id:%(target.project_id)s"),
            Map.entry("nobody", "!"),
            Map.entry("anybody", ""),
            Map.entry("not_reader", "not role:reader"),
            Map.entry("nested", "(role:member or role:reader) and (user_id:%(target.user_id)s)"),
            Map.entry("dangling", "rule:does_not_exist"),
            Map.entry("shared", "'True':%(network.shared)s"));

    Policy policy = Policy.of(DEFAULTS, Map.of());

    @Test
    void roleChecksAreCaseInsensitiveAsInKeystone() {
        assertThat(policy.allows("admin_required", caller("u", "p", "Admin"), Map.of())).isTrue();
        assertThat(policy.allows("admin_required", caller("u", "p", "member"), Map.of())).isFalse();
    }

    @Test
    void genericChecksCompareACredentialWithTheTarget() {
        assertThat(policy.allows("get", caller("u", "p1", "member"), Map.of("target.project_id", "p1"))).isTrue();
        assertThat(policy.allows("get", caller("u", "p1", "member"), Map.of("target.project_id", "p2"))).isFalse();
        assertThat(policy.allows("get", caller("u", "p1", "member"), Map.of())).isFalse();
    }

    @Test
    void andOrNotAndParenthesesCombineChecks() {
        assertThat(policy.allows("member_of_project", caller("u", "p", "member"), Map.of("target.project_id", "p"))).isTrue();
        assertThat(policy.allows("member_of_project", caller("u", "p", "reader"), Map.of("target.project_id", "p"))).isFalse();
        assertThat(policy.allows("not_reader", caller("u", "p", "member"), Map.of())).isTrue();
        assertThat(policy.allows("not_reader", caller("u", "p", "reader"), Map.of())).isFalse();
        assertThat(policy.allows("nested", caller("u", "p", "reader"), Map.of("target.user_id", "u"))).isTrue();
        assertThat(policy.allows("nested", caller("u", "p", "reader"), Map.of("target.user_id", "v"))).isFalse();
    }

    @Test
    void aQuotedLeftSideIsALiteralComparedWithTheTarget() {
        assertThat(policy.allows("shared", caller("u", "p"), Map.of("network.shared", "True"))).isTrue();
        assertThat(policy.allows("shared", caller("u", "p"), Map.of("network.shared", "False"))).isFalse();
        assertThat(policy.allows("shared", caller("u", "p"), Map.of())).isFalse();
    }

    @Test
    void emptyAllowsEveryoneBangAllowsNoneAndAnUnknownRuleDenies() {
        assertThat(policy.allows("anybody", caller("u", "p"), Map.of())).isTrue();
        assertThat(policy.allows("nobody", caller("u", "p", "admin"), Map.of())).isFalse();
        assertThat(policy.allows("dangling", caller("u", "p", "admin"), Map.of())).isFalse();
    }

    @Test
    void anOperatorsFileOverridesADefaultByName(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path file = dir.resolve("policy.yaml");
        Files.writeString(file, "\"admin_required\": \"role:operator\"\n");

        Policy overridden = Policy.of(DEFAULTS, Policy.readFile(file));

        assertThat(overridden.allows("get", caller("u", "p", "operator"), Map.of())).isTrue();
        assertThat(overridden.allows("get", caller("u", "p", "admin"), Map.of())).isFalse();
    }

    @Test
    void enforceRefusesWith403NamingTheAction() {
        assertThatThrownBy(() -> policy.enforce("admin_required", caller("u", "p", "member"), Map.of()))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status()).isEqualTo(403);
                    assertThat(e.getMessage()).contains("admin_required");
                });
    }

    @Test
    void aRuleThatDoesNotParseIsAStartupErrorNamingIt() {
        assertThatThrownBy(() -> Policy.of(Map.of("broken", "role:admin and (role:member"), Map.of()))
                .hasMessageContaining("broken");
        assertThatThrownBy(() -> Policy.of(Map.of("broken", "role:admin or"), Map.of()))
                .hasMessageContaining("broken");
    }
}
