package dev.portside.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/** Runs a command on the test's host and returns what it printed: how tests look at namespaces, links and nft tables. */
final class HostShell {
    private HostShell() {
    }

    static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor();
        return out;
    }

    /** Whether the command exits 0 (its output is dropped). */
    static boolean succeeds(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getInputStream().readAllBytes();
        return process.waitFor() == 0;
    }
}
