package dev.portside.common.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.Jdbi;

import java.nio.file.Path;

/**
 * The one database of a Portside process: a connection pool, and each service's schema migrated by
 * its own Flyway history (so services own their tables and migrate independently). Embedded H2 in
 * PostgreSQL mode by default, so the same SQL runs on both.
 */
public final class Database implements AutoCloseable {
    private final HikariDataSource dataSource;
    private final Jdbi jdbi;

    private Database(HikariDataSource dataSource) {
        this.dataSource = dataSource;
        this.jdbi = Jdbi.create(dataSource);
    }

    /**
     * The embedded database in {@code dataDir}. WRITE_DELAY=0: H2 otherwise writes committed
     * transactions to its file from a background thread every 500 ms, so a kill -9 loses writes it
     * has already acknowledged; with 0 each commit reaches the file before the commit returns (the
     * cost is in docs/benchmarks.md).
     */
    public static String h2FileUrl(Path dataDir) {
        return "jdbc:h2:file:" + dataDir.resolve(H2_FILE).toAbsolutePath() + ";" + H2_MODE + ";WRITE_DELAY=0";
    }

    /** The file name, without H2's suffix, of the embedded database in a data directory. */
    public static final String H2_FILE = "portside";

    /** A private in-memory database, for tests. */
    public static String h2MemoryUrl(String name) {
        return "jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1;" + H2_MODE;
    }

    // DB_CLOSE_ON_EXIT=FALSE: Portside closes its pool on shutdown itself, after work in flight (even a
    // migration during start-up) is done; H2's own exit hook would close the database underneath it.
    // QUERY_CACHE_SIZE: H2 keeps the parsed form of a session's last 8 statements by default, fewer than
    // one port create runs, so every statement was parsed again each time (port creation +50% with 64).
    private static final String H2_MODE = "MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;"
            + "DB_CLOSE_ON_EXIT=FALSE;QUERY_CACHE_SIZE=64";

    /**
     * Opens the pool and checks that the database answers; an unreachable database fails here, at
     * start-up, rather than on the first request.
     */
    public static Database open(String url, String user, String password) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        if (user != null) {
            config.setUsername(user);
        }
        if (password != null) {
            config.setPassword(password);
        }
        config.setPoolName("portside");
        config.setMaximumPoolSize(8);
        config.setMinimumIdle(1);
        config.setConnectionTimeout(5_000);
        config.setInitializationFailTimeout(5_000);
        return new Database(new HikariDataSource(config));
    }

    /**
     * Applies {@code service}'s migrations from {@code classpath:db/<service>}; on H2, then puts its
     * tables' foreign keys on their own indexes ({@link H2ForeignKeys}).
     */
    public void migrate(String service) {
        Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/" + service)
                .table(service + "_schema_history")
                // Services share one schema: the second to migrate finds it non-empty, which is expected.
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .load()
                .migrate();
        if (!isPostgres()) {
            jdbi.useTransaction(h -> H2ForeignKeys.useExistingIndexes(h, service));
        }
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    /** Whether this is PostgreSQL (else the embedded H2), for the few places the SQL must differ. */
    public boolean isPostgres() {
        return dataSource.getJdbcUrl().startsWith("jdbc:postgresql:");
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
