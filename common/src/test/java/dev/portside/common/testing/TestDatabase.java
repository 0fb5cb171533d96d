package dev.portside.common.testing;

import dev.portside.common.db.Database;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/**
 * A kind of database the functional tests run against. {@code portside.test.databases} lists them
 * ("h2" by default; the test command adds "postgres" with {@code portside.test.postgresUrl}, a JDBC
 * URL with {db} where the database name goes). Each test gets a database of its own.
 */
public record TestDatabase(String kind, String postgresUrlTemplate) {

    /** The configured kinds, for {@code @MethodSource}. */
    public static List<TestDatabase> configured() {
        String kinds = System.getProperty("portside.test.databases", "h2");
        String template = System.getProperty("portside.test.postgresUrl", "");
        List<TestDatabase> all = Arrays.stream(kinds.split(",")).map(String::trim).filter(k -> !k.isEmpty())
                .map(kind -> new TestDatabase(kind, template)).toList();
        for (TestDatabase database : all) {
            if (!database.kind.equals("h2") && !database.kind.equals("postgres")) {
                throw new IllegalArgumentException("unknown test database kind: " + database.kind);
            }
            if (database.kind.equals("postgres") && !template.contains("{db}")) {
                throw new IllegalArgumentException("portside.test.postgresUrl must be a JDBC URL with {db}: " + template);
            }
        }
        return all;
    }

    /** A fresh, empty database; closing it drops it. */
    public Instance create() {
        String name = "portside_test_" + UUID.randomUUID().toString().replace("-", "");
        if (kind.equals("h2")) {
            String url = Database.h2MemoryUrl(name);
            return new Instance(url, Database.open(url, null, null), () -> { });
        }
        String admin = postgresUrlTemplate.replace("{db}", "postgres");
        execute(admin, "CREATE DATABASE " + name);
        String url = postgresUrlTemplate.replace("{db}", name);
        return new Instance(url, Database.open(url, null, null),
                () -> execute(admin, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)"));
    }

    private static void execute(String url, String sql) {
        try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("PostgreSQL for tests at " + url + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return kind;
    }

    /** One test's database. */
    public static final class Instance implements AutoCloseable {
        private final String url;
        private Database database;
        private final Runnable drop;

        Instance(String url, Database database, Runnable drop) {
            this.url = url;
            this.database = database;
            this.drop = drop;
        }

        public Database database() {
            return database;
        }

        /** Its JDBC URL, credentials included, for a Portside in another process. */
        public String url() {
            return url;
        }

        /** A new pool on the same database, for a Portside started again after the last one closed its own. */
        public Database reopen() {
            database = Database.open(url, null, null);
            return database;
        }

        @Override
        public void close() {
            database.close();
            drop.run();
        }
    }
}
