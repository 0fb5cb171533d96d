package dev.portside.app;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Compute hosts on this machine for the multi-host tests ({@code bin/fabric}): host N is a network
 * and mount namespace of its own with the address 10.99.0.(10+N) on a fabric bridge, and runs a real
 * {@code portside compute-host} process, which the test may kill and start again.
 */
final class HostFabric implements AutoCloseable {
    /** Where the hosts reach this machine (the broker): its address on the fabric bridge. */
    static final String MACHINE = "10.99.0.1";
    private static final Path FABRIC = Path.of(System.getProperty("user.dir")).getParent().resolve("bin/fabric");

    private final Path dataDir;
    private final String transportUrl;
    private final Map<Integer, Process> hosts = new HashMap<>();
    private final Map<Integer, StringBuffer> outputs = new HashMap<>();

    private HostFabric(Path dataDir, String transportUrl) {
        this.dataDir = dataDir;
        this.transportUrl = transportUrl;
    }

    /** Makes {@code count} hosts; their processes reach the broker at {@code transportUrl}. */
    static HostFabric up(int count, Path dataDir, String transportUrl) throws IOException, InterruptedException {
        run(FABRIC.toString(), "down");
        run(FABRIC.toString(), "up", String.valueOf(count));
        return new HostFabric(dataDir, transportUrl);
    }

    static String hostName(int n) {
        return "host" + n;
    }

    static String address(int n) {
        return "10.99.0." + (10 + n);
    }

    /** Starts host {@code n}'s compute-host process (again, after a kill: same name, same data dir). */
    void start(int n) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(FABRIC.toString(), "run", String.valueOf(n), java, "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "compute-host", "--host", hostName(n),
                "--transport-url", transportUrl, "--local-ip", address(n), "--data-dir",
                dataDir.resolve(hostName(n)).toString(), "--report-interval", "2", "--rpc-response-timeout", "20"));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        StringBuffer output = new StringBuffer();
        Thread drain = new Thread(() -> {
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = lines.readLine()) != null; ) {
                    output.append(line).append('\n');
                }
            } catch (IOException ignored) {
                // the process ended
            }
        });
        drain.setDaemon(true);
        drain.start();
        hosts.put(n, process);
        outputs.put(n, output);
    }

    /** Whether host {@code n}'s process was started and not killed since. */
    boolean running(int n) {
        return hosts.containsKey(n) && hosts.get(n).isAlive();
    }

    /** SIGKILL to host {@code n}'s process, as a crash would; its instances keep running. */
    void kill(int n) throws InterruptedException {
        Process process = hosts.remove(n);
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** What host {@code n}'s process printed. */
    String output(int n) {
        return String.valueOf(outputs.get(n));
    }

    /** Runs a command on host {@code n} (in its namespaces) and returns what it printed. */
    static String onHost(int n, String... command) throws IOException, InterruptedException {
        List<String> all = new ArrayList<>(List.of(FABRIC.toString(), "run", String.valueOf(n)));
        all.addAll(List.of(command));
        return run(all.toArray(String[]::new));
    }

    /** Runs a shell command inside an instance on host {@code n}: the namespace its host made for it. */
    static String inInstance(int n, String serverId, String shell) throws IOException, InterruptedException {
        return onHost(n, "ip", "netns", "exec", "portside-" + serverId, "sh", "-c", shell);
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0 && command.length > 1 && !command[1].equals("run")) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
        }
        return out;
    }

    /** Stops every host's process and removes the hosts, their instances and the fabric. */
    @Override
    public void close() throws IOException, InterruptedException {
        for (Process process : hosts.values()) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
        hosts.clear();
        run(FABRIC.toString(), "down");
    }
}
