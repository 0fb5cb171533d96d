package dev.portside.app;

import dev.portside.common.db.Database;
import dev.portside.common.http.ApiServer;
import dev.portside.common.policy.Policy;
import dev.portside.identity.Identity;
import dev.portside.identity.catalog.Catalog;
import dev.portside.network.Networking;
import io.javalin.util.JavalinBindException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The all-in-one Portside: one database, every service on its own port, wired with constructors.
 * Closing it stops the servers and then the database.
 */
public final class Portside implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Portside.class);
    private static final long MAX_BODY_BYTES = 1024 * 1024;
    // Linux bridges on one host carry full Ethernet frames: no tunnel overhead to subtract.
    private static final int NETWORK_MTU = 1500;

    private final Database database;
    private final List<ApiServer> servers;
    private final Path openrc;

    private Portside(Database database, List<ApiServer> servers, Path openrc) {
        this.database = database;
        this.servers = servers;
        this.openrc = openrc;
    }

    public static Portside start(Settings settings, Clock clock) {
        Path dataDir = prepareDataDir(settings.dataDir());
        Map<String, String> policy = readPolicy(settings);
        Database database = openDatabase(settings);
        List<ApiServer> servers = new ArrayList<>();
        try {
            Catalog catalog = new Catalog(settings.region(), List.of(
                    new Catalog.Service("identity", "keystone", settings.identityUrl() + "/v3"),
                    new Catalog.Service("network", "neutron", settings.networkUrl())));
            Identity identity = new Identity(database, new Identity.Settings(settings.identityUrl(),
                    settings.tokenLifetime(), settings.passwordHashRounds(), catalog, policy), clock);
            Path openrc = dataDir.resolve("openrc");
            var admin = identity.bootstrap();
            if (admin.isPresent()) {
                Openrc.write(openrc, admin.get(), settings.identityUrl(), settings.region());
            }
            servers.add(start(new ApiServer(new ApiServer.Settings("identity", settings.bind(), settings.identityPort(),
                    MAX_BODY_BYTES), identity.errors(), identity.tokens(), identity::register)));
            Networking networking = new Networking(database, new Networking.Settings(settings.networkUrl(),
                    settings.baseMac(), NETWORK_MTU, settings.hostMechanismDrivers(), settings.mechanismDrivers(), policy),
                    clock);
            servers.add(start(new ApiServer(new ApiServer.Settings("network", settings.bind(), settings.networkPort(),
                    MAX_BODY_BYTES), networking.errors(), identity.tokens(), networking::register)));
            return new Portside(database, List.copyOf(servers), openrc);
        } catch (RuntimeException | IOException e) {
            servers.forEach(ApiServer::close);
            database.close();
            if (e instanceof StartupException startup) {
                throw startup;
            }
            throw new StartupException("cannot start: " + e.getMessage(), e);
        }
    }

    private static ApiServer start(ApiServer server) {
        try {
            return server.start();
        } catch (JavalinBindException e) {
            throw new StartupException("cannot serve " + server.service() + ": " + e.getMessage(), e);
        }
    }

    private static Path prepareDataDir(Path dataDir) {
        try {
            if (!Files.isDirectory(dataDir)) {
                Files.createDirectories(dataDir, PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwx------")));
            }
            if (!Files.isWritable(dataDir)) {
                throw new StartupException("the data directory " + dataDir + " is not writable");
            }
            return dataDir;
        } catch (IOException e) {
            throw new StartupException("cannot create the data directory " + dataDir + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, String> readPolicy(Settings settings) {
        if (settings.policyFile().isEmpty()) {
            return Map.of();
        }
        Path file = settings.policyFile().get();
        Settings.requireReadable(file);
        try {
            return Policy.readFile(file);
        } catch (IOException | RuntimeException e) {
            throw new StartupException("cannot read the policy file " + file + ": " + e.getMessage(), e);
        }
    }

    private static Database openDatabase(Settings settings) {
        try {
            return Database.open(settings.databaseUrl(), settings.databaseUser().orElse(null),
                    settings.databasePassword().orElse(null));
        } catch (RuntimeException e) {
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            throw new StartupException("cannot reach the database " + redact(settings.databaseUrl()) + ": "
                    + root.getMessage(), e);
        }
    }

    // JDBC URLs may carry a password=...; never print it.
    private static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1***");
    }

    public Path openrc() {
        return openrc;
    }

    public List<ApiServer> servers() {
        return servers;
    }

    @Override
    public void close() {
        LOG.info("stopping");
        servers.forEach(ApiServer::close);
        database.close();
    }
}
