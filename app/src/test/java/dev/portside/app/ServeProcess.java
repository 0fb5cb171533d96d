package dev.portside.app;

import dev.portside.common.testing.Http;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A real {@code portside serve} in a process of its own, as a user starts it, on the test's classpath and JDK. */
final class ServeProcess implements AutoCloseable {
    final Path dataDir;
    private final String subcommand;
    final int identityPort;
    final int networkPort;
    final int imagePort;
    final int computePort;
    final int operatorPort;
    private final Process process;
    private final StringBuffer output = new StringBuffer();
    private final Thread drain;

    ServeProcess(Path dataDir, String... extraArgs) throws IOException {
        this("serve", dataDir, freePorts(), extraArgs);
    }

    /** A real {@code portside controller} (its config file names its database and broker). */
    static ServeProcess controller(Path dataDir, String... extraArgs) throws IOException {
        return new ServeProcess("controller", dataDir, freePorts(), extraArgs);
    }

    private static int[] freePorts() {
        return new int[]{Http.freePort(), Http.freePort(), Http.freePort(), Http.freePort(), Http.freePort()};
    }

    /** Serves again on the same data dir and ports, as an operator restarts it after a crash. */
    ServeProcess restart(String... extraArgs) throws IOException {
        return new ServeProcess(subcommand, dataDir, new int[]{identityPort, networkPort, imagePort, computePort,
                operatorPort}, extraArgs);
    }

    private ServeProcess(String subcommand, Path dataDir, int[] ports, String... extraArgs) throws IOException {
        this.subcommand = subcommand;
        this.dataDir = dataDir;
        this.identityPort = ports[0];
        this.networkPort = ports[1];
        this.imagePort = ports[2];
        this.computePort = ports[3];
        this.operatorPort = ports[4];
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), subcommand, "--data-dir", dataDir.toString(),
                "--identity-port", String.valueOf(identityPort), "--network-port", String.valueOf(networkPort),
                "--image-port", String.valueOf(imagePort), "--compute-port", String.valueOf(computePort),
                "--operator-port", String.valueOf(operatorPort)));
        command.addAll(List.of(extraArgs));
        // As a user would serve, but on the fake driver unless the test asks for real instances by name.
        int config = command.indexOf("--config");
        if (config < 0) {
            Path file = dataDir.resolveSibling(dataDir.getFileName() + "-fake.yaml");
            Files.writeString(file, "compute_driver: fake\n");
            command.addAll(List.of("--config", file.toString()));
        } else {
            Path file = Path.of(command.get(config + 1));
            if (Files.exists(file) && !Files.readString(file).contains("compute_driver")) {
                Files.writeString(file, "compute_driver: fake\n", StandardOpenOption.APPEND);
            }
        }
        this.process = new ProcessBuilder(command).redirectErrorStream(true).start();
        this.drain = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream()))) {
                for (String line; (line = lines.readLine()) != null; ) {
                    output.append(line).append('\n');
                }
            } catch (IOException ignored) {
                // the process ended
            }
        });
        drain.setDaemon(true);
        drain.start();
    }

    /** Waits until every service listens; fails with the server's output if they never do. */
    ServeProcess awaitReady() throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        Http http = new Http(url());
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new AssertionError("portside serve exited with " + process.exitValue() + ":\n" + output);
            }
            // Ready at serve's last start-up line: the identity API answers before the other services start.
            try {
                if (output.indexOf("portside: admin credentials in") >= 0 && http.get("/", null).status() == 300) {
                    return this;
                }
            } catch (RuntimeException notYet) {
                // not answering yet
            }
            Thread.sleep(50);
        }
        throw new AssertionError("portside serve did not answer within 60 s:\n" + output);
    }

    String url() {
        return "http://127.0.0.1:" + identityPort;
    }

    Path openrc() {
        return dataDir.resolve("openrc");
    }

    /** The OS_* variables the openrc exports. */
    Map<String, String> openrcVariables() throws IOException {
        Map<String, String> variables = new HashMap<>();
        for (String line : Files.readAllLines(openrc())) {
            if (line.startsWith("export ")) {
                String[] pair = line.substring("export ".length()).split("=", 2);
                variables.put(pair[0], pair[1].replaceAll("^'|'$", ""));
            }
        }
        return variables;
    }

    /** Sends SIGTERM, as an init system or Ctrl-C would, and returns the exit status. */
    int terminate() throws InterruptedException, IOException {
        // kill(1), not Process.destroy(): exactly the signal an operator or an init system sends.
        new ProcessBuilder("kill", "-TERM", String.valueOf(process.pid())).inheritIO().start().waitFor();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("portside serve ignored SIGTERM:\n" + output);
        }
        drain.join(5_000);
        return process.exitValue();
    }

    /** SIGKILL: the process dies at once, as in a crash or an OOM kill. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    String output() {
        return output.toString();
    }

    @Override
    public void close() throws InterruptedException, IOException {
        if (process.isAlive()) {
            terminate();
        }
    }
}
