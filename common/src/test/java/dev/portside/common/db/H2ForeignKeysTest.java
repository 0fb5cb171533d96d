package dev.portside.common.db;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** On H2, a foreign key whose columns an index already leads with uses that index, and keeps its rules. */
class H2ForeignKeysTest {
    Database database;
    Jdbi jdbi;

    @BeforeEach
    void create() {
        database = Database.open(Database.h2MemoryUrl("fk_" + UUID.randomUUID().toString().replace("-", "")), null, null);
        jdbi = database.jdbi();
        jdbi.useHandle(h -> {
            h.execute("CREATE TABLE thing_parent (id VARCHAR(36) PRIMARY KEY)");
            // As the services' migrations write them: REFERENCES inline, the indexes after the table.
            h.execute("CREATE TABLE thing_child (parent_id VARCHAR(36) NOT NULL REFERENCES thing_parent (id) ON DELETE CASCADE,"
                    + " other_id VARCHAR(36) REFERENCES thing_parent (id), slot INTEGER NOT NULL,"
                    + " PRIMARY KEY (parent_id, slot))");
            h.execute("CREATE INDEX thing_child_other ON thing_child (other_id)");
            h.execute("CREATE TABLE thing_loose (parent_id VARCHAR(36) REFERENCES thing_parent (id))");
        });
    }

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void aKeyThatANamedIndexLeadsWithLosesTheIndexH2MadeForIt() {
        assertThat(indexedColumns("thing_child")).containsExactlyInAnyOrder("parent_id", "parent_id,slot", "other_id",
                "other_id");

        jdbi.useTransaction(h -> H2ForeignKeys.useExistingIndexes(h, "thing"));

        assertThat(indexedColumns("thing_child")).containsExactlyInAnyOrder("parent_id", "parent_id,slot", "other_id");
        assertThat(indexes("thing_child")).contains("thing_child_other");
    }

    @Test
    void aKeyWithNoNamedIndexKeepsItsOwn() {
        jdbi.useTransaction(h -> H2ForeignKeys.useExistingIndexes(h, "thing"));

        assertThat(indexedColumns("thing_loose")).containsExactly("parent_id");
    }

    @Test
    void theKeysStillRefuseOrphansAndStillCascade() {
        jdbi.useTransaction(h -> H2ForeignKeys.useExistingIndexes(h, "thing"));
        jdbi.useHandle(h -> {
            h.execute("INSERT INTO thing_parent VALUES ('p'), ('q')");
            h.execute("INSERT INTO thing_child VALUES ('p', 'q', 1)");
            assertThatThrownBy(() -> h.execute("INSERT INTO thing_child VALUES ('p', 'nobody', 2)"))
                    .hasMessageContaining("Referential integrity");
            assertThatThrownBy(() -> h.execute("DELETE FROM thing_parent WHERE id = 'q'"))
                    .hasMessageContaining("Referential integrity");
            h.execute("DELETE FROM thing_parent WHERE id = 'p'");
            assertThat(h.createQuery("SELECT count(*) FROM thing_child").mapTo(Integer.class).one()).isZero();
        });
    }

    @Test
    void runningAgainChangesNothing() {
        jdbi.useTransaction(h -> H2ForeignKeys.useExistingIndexes(h, "thing"));
        List<String> once = indexes("thing_child");

        jdbi.useTransaction(h -> H2ForeignKeys.useExistingIndexes(h, "thing"));

        assertThat(indexes("thing_child")).containsExactlyInAnyOrderElementsOf(once);
    }

    private List<String> indexes(String table) {
        return jdbi.withHandle((Handle h) -> h.createQuery("SELECT index_name FROM information_schema.indexes"
                + " WHERE table_schema = CURRENT_SCHEMA AND table_name = :t").bind("t", table).mapTo(String.class).list());
    }

    // Each index of the table as its columns in order, comma-separated.
    private List<String> indexedColumns(String table) {
        return jdbi.withHandle((Handle h) -> h.createQuery("SELECT LISTAGG(column_name, ',') WITHIN GROUP (ORDER BY"
                        + " ordinal_position) FROM information_schema.index_columns WHERE table_schema = CURRENT_SCHEMA"
                        + " AND table_name = :t GROUP BY index_name").bind("t", table).mapTo(String.class).list());
    }
}
