package dev.portside.app;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The {@code portside} command as a user runs it after sourcing the openrc: its own process, the
 * OS_* variables in its environment, on the test's classpath and JDK.
 */
final class PortsideCli {
    private final Map<String, String> environment;

    PortsideCli(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    OpenstackCli.Result run(String... args) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                Main.class.getName()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(name -> name.startsWith("OS_"));
        builder.environment().putAll(environment);
        Process process = builder.start();
        process.getOutputStream().close();
        byte[] out = process.getInputStream().readAllBytes();
        byte[] err = process.getErrorStream().readAllBytes();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("portside " + String.join(" ", args) + " did not finish");
        }
        return new OpenstackCli.Result(process.exitValue(), new String(out, StandardCharsets.UTF_8),
                new String(err, StandardCharsets.UTF_8));
    }

    /** Runs a command that must succeed; fails the test with its output otherwise. */
    OpenstackCli.Result ok(String... args) throws IOException, InterruptedException {
        OpenstackCli.Result result = run(args);
        if (result.exit() != 0) {
            throw new AssertionError("portside " + String.join(" ", args) + ": " + result);
        }
        return result;
    }
}
