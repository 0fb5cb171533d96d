package dev.portside.common.quota;

import dev.portside.common.testing.TestDatabase;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SequencedMap;

import static org.assertj.core.api.Assertions.assertThat;

/** The quota engine: limits are defaults under overrides, claims count what exists, -1 is unlimited. */
@ParameterizedClass(name = "on {0}")
@MethodSource("dev.portside.common.testing.TestDatabase#configured")
class QuotasTest {
    @Parameter
    TestDatabase kind;
    TestDatabase.Instance database;
    Jdbi jdbi;
    Quotas quotas;

    @BeforeEach
    void create() {
        database = kind.create();
        jdbi = database.database().jdbi();
        jdbi.useHandle(h -> {
            h.execute("CREATE TABLE thing_quota (project_id VARCHAR(64), resource VARCHAR(64), hard_limit BIGINT,"
                    + " PRIMARY KEY (project_id, resource))");
            h.execute("CREATE TABLE thing_quota_lock (project_id VARCHAR(64) PRIMARY KEY)");
            h.execute("CREATE TABLE thing (project_id VARCHAR(64), size INTEGER)");
        });
        SequencedMap<String, Long> defaults = new LinkedHashMap<>();
        defaults.put("things", 3L);
        defaults.put("size", 10L);
        quotas = new Quotas("thing", defaults, (h, project, resource) -> h.createQuery(resource.equals("things")
                ? "SELECT count(*) FROM thing WHERE project_id = :p" : "SELECT coalesce(sum(size), 0) FROM thing WHERE project_id = :p")
                .bind("p", project).mapTo(Long.class).one());
    }

    @AfterEach
    void drop() {
        database.close();
    }

    private void add(Handle h, String project, int size) {
        h.createUpdate("INSERT INTO thing VALUES (:p, :s)").bind("p", project).bind("s", size).execute();
    }

    @Test
    void aClaimPassesUpToTheLimitAndNamesWhatWouldGoOver() {
        jdbi.useTransaction(h -> {
            assertThat(quotas.claim(h, "p1", Map.of("things", 3L))).isEmpty();
            add(h, "p1", 4);
            add(h, "p1", 4);
            assertThat(quotas.claim(h, "p1", Map.of("things", 1L, "size", 2L))).isEmpty();
            assertThat(quotas.claim(h, "p1", Map.of("things", 2L, "size", 3L))).containsExactlyInAnyOrder(
                    new Quotas.Over("things", 2, 2, 3), new Quotas.Over("size", 3, 8, 10));
            // Another project counts only its own.
            assertThat(quotas.claim(h, "p2", Map.of("things", 3L))).isEmpty();
        });
    }

    @Test
    void overridesReplaceDefaultsAndMinusOneIsUnlimited() {
        jdbi.useTransaction(h -> {
            quotas.set(h, "p1", Map.of("things", 1L, "size", Quotas.UNLIMITED));
            add(h, "p1", 1000);
            assertThat(quotas.limits(h, "p1")).containsExactly(Map.entry("things", 1L), Map.entry("size", -1L));
            assertThat(quotas.claim(h, "p1", Map.of("size", 1_000_000L))).isEmpty();
            assertThat(quotas.claim(h, "p1", Map.of("things", 1L))).hasSize(1);
            assertThat(quotas.projectsWithOverrides(h)).containsExactly("p1");
            quotas.reset(h, "p1");
            assertThat(quotas.limits(h, "p1")).isEqualTo(quotas.defaults());
        });
    }

    @Test
    void fitAnswersHowManyUnitsOfASizeStillFit() {
        jdbi.useTransaction(h -> {
            add(h, "p1", 4);
            // things: 2 left; size: 6 left, at 2 each 3 would fit: the tighter one wins.
            assertThat(quotas.fit(h, "p1", Map.of("things", 1L, "size", 2L), 100)).isEqualTo(2);
            assertThat(quotas.fit(h, "p1", Map.of("things", 1L, "size", 2L), 1)).isEqualTo(1);
            assertThat(quotas.overs(h, "p1", Map.of("things", 1L, "size", 2L), 3))
                    .containsExactly(new Quotas.Over("things", 3, 1, 3));
        });
    }

    @Test
    void limitsCanComeFromElsewhere() {
        Quotas keystone = new Quotas("thing", quotas.defaults(), (h, p, r) -> 0, (h, project) -> Map.of("things", 7L));
        jdbi.useHandle(h -> assertThat(keystone.limits(h, "any")).containsEntry("things", 7L).containsEntry("size", 10L));
    }

    @Test
    void parseLimitTakesIntegersAndDigitStrings() {
        var nodes = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance;
        assertThat(Quotas.parseLimit(nodes.numberNode(5))).contains(5L);
        assertThat(Quotas.parseLimit(nodes.textNode("-1"))).contains(-1L);
        assertThat(Quotas.parseLimit(nodes.textNode("five"))).isEmpty();
        assertThat(Quotas.parseLimit(nodes.numberNode(1.5))).isEmpty();
        assertThat(Quotas.parseLimit(nodes.textNode("99999999999999999999"))).isEmpty();
    }
}
