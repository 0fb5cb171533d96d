package dev.portside.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The host's OpenSSH client, logging in to an instance as root with a key pair's private key. */
final class Ssh {
    private final Path key;

    Ssh(Path directory, String privateKey) throws IOException {
        this.key = directory.resolve("id_instance");
        Files.writeString(key, privateKey);
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
    }

    record Result(int exit, String out, String err) {
    }

    Result run(String address, String command) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of("ssh", "-i", key.toString(), "-o", "StrictHostKeyChecking=no",
                "-o", "UserKnownHostsFile=/dev/null", "-o", "BatchMode=yes", "-o", "LogLevel=ERROR",
                "-o", "ConnectTimeout=5", "root@" + address, command));
        Process process = new ProcessBuilder(argv).start();
        process.getOutputStream().close();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("ssh " + address + " " + command + " did not finish");
        }
        return new Result(process.exitValue(), out, err);
    }

    /** Runs {@code command} once the instance's SSH server answers (it starts just after the boot ends). */
    String await(String address, String command) throws IOException, InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(120));
        Result last;
        do {
            last = run(address, command);
            if (last.exit() == 0) {
                return last.out();
            }
            Thread.sleep(100);
        } while (Instant.now().isBefore(deadline));
        throw new AssertionError("ssh root@" + address + " " + command + " kept failing: " + last.err());
    }
}
