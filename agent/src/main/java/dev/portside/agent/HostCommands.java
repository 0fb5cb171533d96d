package dev.portside.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the host's own tools (iproute2, nftables) with an argument list, never through a shell, and
 * turns a failure into an {@link AgentException} that says which command failed and why.
 */
public final class HostCommands {
    private static final long TIMEOUT_SECONDS = 30;

    /** Runs {@code command}; returns its standard output, or throws with its standard error. */
    public String run(List<String> command) {
        Result result = attempt(command);
        if (result.exit() != 0) {
            throw new AgentException(String.join(" ", command) + " failed (" + result.exit() + "): "
                    + result.err().strip());
        }
        return result.out();
    }

    public String run(String... command) {
        return run(List.of(command));
    }

    /** Runs {@code command} with {@code input} on its standard input (an nft script). */
    public String run(List<String> command, String input) {
        Result result = attempt(command, input);
        if (result.exit() != 0) {
            throw new AgentException(String.join(" ", command) + " failed (" + result.exit() + "): "
                    + result.err().strip());
        }
        return result.out();
    }

    /** What a command did, for callers that expect some failures (removing what may be gone). */
    public record Result(int exit, String out, String err) {
    }

    public Result attempt(List<String> command) {
        return attempt(command, "");
    }

    private Result attempt(List<String> command, String input) {
        try {
            Process process = new ProcessBuilder(command).start();
            try (var stdin = process.getOutputStream()) {
                stdin.write(input.getBytes(StandardCharsets.UTF_8));
            }
            // Outputs are small (a few lines of iproute2 or nft), so reading one then the other cannot stall.
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AgentException(String.join(" ", command) + " did not finish in " + TIMEOUT_SECONDS + " s");
            }
            return new Result(process.exitValue(), out, err);
        } catch (IOException e) {
            throw new AgentException("cannot run " + command.getFirst() + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AgentException("interrupted while running " + String.join(" ", command), e);
        }
    }
}
