package dev.portside.app;

import dev.portside.common.http.ApiServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

/** {@code portside serve}: the all-in-one Portside, until SIGTERM or SIGINT. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Run every Portside service in this process, on its usual OpenStack port.")
class ServeCommand implements Callable<Integer> {
    @Option(names = "--data-dir", description = "Where the embedded database and openrc live (default: ~/.portside).")
    Path dataDir;

    @Option(names = "--config", description = "A YAML file of settings (see docs/configuration.md).")
    Path config;

    @Option(names = "--bind", description = "The address to listen on (default: 127.0.0.1).")
    String bind;

    @Option(names = "--database-url", description = "A JDBC URL, e.g. jdbc:postgresql://127.0.0.1/portside (default: embedded H2 in the data dir).")
    String databaseUrl;

    @Option(names = "--identity-port", description = "The Identity API's port (default: 5000).")
    Integer identityPort;

    @Option(names = "--network-port", description = "The Networking API's port (default: 9696).")
    Integer networkPort;

    @Option(names = "--image-port", description = "The Image API's port (default: 9292).")
    Integer imagePort;

    @Option(names = "--compute-port", description = "The Compute API's port (default: 8774).")
    Integer computePort;

    @Option(names = "--operator-port", description = "The port of the operator's page, /metrics and /healthz (default: 8080).")
    Integer operatorPort;

    @Override
    public Integer call() {
        // The hook is in place before anything starts: a SIGTERM that arrives while the services are
        // still starting waits for them, then stops them cleanly, instead of killing a half-started process.
        CountDownLatch startedOrFailed = new CountDownLatch(1);
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicReference<Portside> running = new AtomicReference<>();
        Thread hook = new Thread(() -> {
            awaitQuietly(startedOrFailed);
            Portside portside = running.get();
            if (portside != null) {
                System.out.println("portside: stopping");
                portside.close();
                System.out.println("portside: stopped");
            }
            stopped.countDown();
        }, "portside-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        Portside portside;
        try {
            portside = Portside.start(settings(), Clock.systemUTC());
            running.set(portside);
        } catch (StartupException e) {
            System.err.println("portside: " + e.getMessage());
            removeQuietly(hook);
            return 1;
        } finally {
            startedOrFailed.countDown();
        }
        for (ApiServer server : portside.servers()) {
            System.out.println("portside: " + server.service() + " listening on port " + server.port());
        }
        portside.operatorServer().ifPresent(server -> System.out.println("portside: the operator's page, /metrics and /healthz on port "
                + server.port()));
        System.out.println("portside: admin credentials in " + portside.openrc()
                + " (source it, then use the openstack CLI)");
        awaitQuietly(stopped);
        return 0;
    }

    private Settings settings() {
        Settings.File file = Settings.File.empty();
        if (config != null) {
            Settings.requireReadable(config);
            try {
                file = Settings.File.read(config);
            } catch (IOException e) {
                throw new StartupException("cannot read the config file " + config + ": " + e.getMessage(), e);
            }
        }
        return Settings.resolve(file, new Settings.Flags(Optional.ofNullable(dataDir), Optional.ofNullable(bind),
                Optional.ofNullable(databaseUrl), Optional.ofNullable(identityPort), Optional.ofNullable(networkPort),
                Optional.ofNullable(imagePort), Optional.ofNullable(computePort), Optional.ofNullable(operatorPort),
                controller()));
    }

    /** Whether this is a controller of compute hosts in processes of their own. */
    boolean controller() {
        return false;
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // A failed start leaves nothing to stop; the JVM may already be shutting down, which is fine too.
    private static void removeQuietly(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs and finds nothing started
        }
    }
}
