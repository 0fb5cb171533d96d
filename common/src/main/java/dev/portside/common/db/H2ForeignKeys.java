package dev.portside.common.db;

import org.jdbi.v3.core.Handle;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Puts H2's foreign keys on the indexes a schema already has. H2 gives a foreign key an index of its own
 * unless an index made by {@code CREATE INDEX} already leads with its columns, and a {@code REFERENCES}
 * inside {@code CREATE TABLE} is made before the table's other indexes exist; so a column with its own
 * {@code CREATE INDEX} ends up indexed twice. Every commit writes each changed index's pages to the file:
 * a port create with an address touched three such duplicates. Made again once the schema's indexes
 * exist, each of those constraints uses the named index and H2 drops the one it had made. (A key that
 * leads a primary key keeps its own: H2 never reuses a constraint's index.) PostgreSQL makes no index
 * for a foreign key, so there is nothing to do there.
 */
final class H2ForeignKeys {
    private H2ForeignKeys() {
    }

    /** Re-makes the foreign keys of tables named {@code <prefix>_...} whose columns another index already leads with. */
    static void useExistingIndexes(Handle h, String prefix) {
        List<Map<String, Object>> keys = h.createQuery("""
                        SELECT tc.constraint_name, tc.table_name, rc.unique_constraint_name,
                               rc.update_rule, rc.delete_rule
                        FROM information_schema.table_constraints tc
                        JOIN information_schema.referential_constraints rc
                          ON rc.constraint_schema = tc.constraint_schema AND rc.constraint_name = tc.constraint_name
                        WHERE tc.constraint_schema = CURRENT_SCHEMA AND tc.constraint_type = 'FOREIGN KEY'
                          AND tc.table_name LIKE :tables ESCAPE '!' AND tc.index_name LIKE 'CONSTRAINT!_%INDEX!_%' ESCAPE '!'
                        ORDER BY tc.table_name, tc.constraint_name""")
                .bind("tables", prefix + "!_%").mapToMap().list();
        for (Map<String, Object> key : keys) {
            String table = (String) key.get("table_name");
            String constraint = (String) key.get("constraint_name");
            List<String> columns = keyColumns(h, constraint);
            if (!coveredElsewhere(h, table, columns)) {
                continue;
            }
            String unique = (String) key.get("unique_constraint_name");
            String referenced = h.createQuery("SELECT table_name FROM information_schema.table_constraints"
                            + " WHERE constraint_schema = CURRENT_SCHEMA AND constraint_name = :name")
                    .bind("name", unique).mapTo(String.class).one();
            h.execute("ALTER TABLE " + quote(table) + " DROP CONSTRAINT " + quote(constraint));
            h.execute("ALTER TABLE " + quote(table) + " ADD CONSTRAINT " + quote(constraint)
                    + " FOREIGN KEY (" + quoted(columns) + ") REFERENCES " + quote(referenced)
                    + " (" + quoted(keyColumns(h, unique)) + ") ON DELETE " + key.get("delete_rule")
                    + " ON UPDATE " + key.get("update_rule"));
        }
    }

    private static List<String> keyColumns(Handle h, String constraint) {
        return h.createQuery("SELECT column_name FROM information_schema.key_column_usage"
                        + " WHERE constraint_schema = CURRENT_SCHEMA AND constraint_name = :name ORDER BY ordinal_position")
                .bind("name", constraint).mapTo(String.class).list();
    }

    // An index of the table made by CREATE INDEX whose first columns are the key's, in any order: what H2
    // reuses for a new foreign key (never a primary key's or unique constraint's index).
    private static boolean coveredElsewhere(Handle h, String table, List<String> columns) {
        List<String> others = h.createQuery("SELECT index_name FROM information_schema.indexes"
                        + " WHERE table_schema = CURRENT_SCHEMA AND table_name = :table AND NOT is_generated")
                .bind("table", table).mapTo(String.class).list();
        for (String index : others) {
            List<String> leading = h.createQuery("SELECT column_name FROM information_schema.index_columns"
                            + " WHERE table_schema = CURRENT_SCHEMA AND table_name = :table AND index_name = :index"
                            + " ORDER BY ordinal_position")
                    .bind("table", table).bind("index", index).mapTo(String.class).list();
            if (leading.size() >= columns.size()
                    && Set.copyOf(leading.subList(0, columns.size())).equals(Set.copyOf(columns))) {
                return true;
            }
        }
        return false;
    }

    private static String quoted(List<String> names) {
        return String.join(", ", names.stream().map(H2ForeignKeys::quote).toList());
    }

    private static String quote(String name) {
        return '"' + name.replace("\"", "\"\"") + '"';
    }
}
