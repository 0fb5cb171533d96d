package dev.portside.app;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portside.common.json.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The real, unmodified {@code openstack} command line client, run with a set of OS_* variables. */
final class OpenstackCli {
    private final Map<String, String> environment;

    OpenstackCli(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    OpenstackCli with(String name, String value) {
        Map<String, String> changed = new HashMap<>(environment);
        changed.put(name, value);
        return new OpenstackCli(changed);
    }

    record Result(int exit, String out, String err) {
        JsonNode json() {
            try {
                return Json.MAPPER.readTree(out);
            } catch (IOException e) {
                throw new AssertionError("not JSON (exit " + exit + "): " + out + err, e);
            }
        }

        @Override
        public String toString() {
            return "exit " + exit + "\n" + out + err;
        }
    }

    /** Runs a command that must succeed; fails the test with its output otherwise. */
    Result ok(String... args) throws IOException, InterruptedException {
        Result result = run(args);
        if (result.exit() != 0) {
            throw new AssertionError("openstack " + String.join(" ", args) + ": " + result);
        }
        return result;
    }

    /** Runs a command that must succeed with {@code -f json} and returns what it printed. */
    JsonNode json(String... args) throws IOException, InterruptedException {
        String[] all = java.util.Arrays.copyOf(args, args.length + 2);
        all[args.length] = "-f";
        all[args.length + 1] = "json";
        return ok(all).json();
    }

    Result run(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("openstack"));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().keySet().removeIf(name -> name.startsWith("OS_"));
        builder.environment().putAll(environment);
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new AssertionError("the openstack CLI is not installed; ./run-tests installs it (python3-openstackclient)", e);
        }
        process.getOutputStream().close();
        byte[] out = process.getInputStream().readAllBytes();
        byte[] err = process.getErrorStream().readAllBytes();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("openstack " + String.join(" ", args) + " did not finish");
        }
        return new Result(process.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }
}
