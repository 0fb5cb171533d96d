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

/** {@code portside serve}: the all-in-one Portside, until SIGTERM or SIGINT. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Run every Portside service in this process, on its usual OpenStack port.")
final class ServeCommand implements Callable<Integer> {
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

    @Override
    public Integer call() {
        Portside portside;
        try {
            Settings.File file = Settings.File.empty();
            if (config != null) {
                Settings.requireReadable(config);
                try {
                    file = Settings.File.read(config);
                } catch (IOException e) {
                    throw new StartupException("cannot read the config file " + config + ": " + e.getMessage(), e);
                }
            }
            Settings settings = Settings.resolve(file, Optional.ofNullable(dataDir), Optional.ofNullable(bind),
                    Optional.ofNullable(databaseUrl), Optional.ofNullable(identityPort), Optional.ofNullable(networkPort));
            portside = Portside.start(settings, Clock.systemUTC());
        } catch (StartupException e) {
            System.err.println("portside: " + e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("portside: stopping");
            portside.close();
            System.out.println("portside: stopped");
            stopped.countDown();
        }, "portside-shutdown"));
        for (ApiServer server : portside.servers()) {
            System.out.println("portside: " + server.service() + " listening on port " + server.port());
        }
        System.out.println("portside: admin credentials in " + portside.openrc()
                + " (source it, then use the openstack CLI)");
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }
}
