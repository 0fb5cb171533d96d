package dev.portside.agent.qemu;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portside.agent.AgentException;
import dev.portside.common.json.Json;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A session on a VM's QEMU Machine Protocol socket: commands and their answers, and the events QEMU
 * sends meanwhile (DEVICE_DELETED after a hot-unplug the guest agreed to).
 */
final class Qmp implements AutoCloseable {
    private final SocketChannel channel;
    private final BufferedReader in;
    private final Writer out;
    private final List<JsonNode> events = new ArrayList<>();

    private Qmp(SocketChannel channel) {
        this.channel = channel;
        this.in = new BufferedReader(new InputStreamReader(Channels.newInputStream(channel), StandardCharsets.UTF_8));
        this.out = Channels.newWriter(channel, StandardCharsets.UTF_8);
    }

    /** Connects and leaves capabilities negotiation mode, so commands are accepted. */
    static Qmp connect(Path socket) {
        try {
            SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            channel.connect(UnixDomainSocketAddress.of(socket));
            Qmp qmp = new Qmp(channel);
            qmp.read(); // the greeting
            qmp.execute("qmp_capabilities", Json.object());
            return qmp;
        } catch (IOException e) {
            throw new AgentException("cannot reach QEMU's monitor at " + socket + ": " + e.getMessage(), e);
        }
    }

    /** Runs a command; returns its {@code return} value or throws with QEMU's error description. */
    JsonNode execute(String command, ObjectNode arguments) {
        ObjectNode request = Json.object().put("execute", command);
        if (!arguments.isEmpty()) {
            request.set("arguments", arguments);
        }
        try {
            out.write(Json.write(request) + "\n");
            out.flush();
            while (true) {
                JsonNode answer = read();
                if (answer.has("event")) {
                    events.add(answer);
                } else if (answer.has("error")) {
                    throw new AgentException("QEMU refused " + command + ": " + answer.path("error").path("desc").asText());
                } else {
                    return answer.path("return");
                }
            }
        } catch (IOException e) {
            throw new AgentException("QEMU's monitor failed during " + command + ": " + e.getMessage(), e);
        }
    }

    /** Waits up to {@code timeout} for an event of that name about {@code device}; true if it came. */
    boolean awaitEvent(String name, String device, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            if (events.stream().anyMatch(e -> e.path("event").asText().equals(name)
                    && e.path("data").path("device").asText().equals(device))) {
                return true;
            }
            if (Instant.now().isAfter(deadline)) {
                return false;
            }
            // An idle command makes QEMU flush pending events to us.
            execute("query-status", Json.object());
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }

    private JsonNode read() throws IOException {
        String line = in.readLine();
        if (line == null) {
            throw new IOException("QEMU closed its monitor");
        }
        return Json.MAPPER.readTree(line);
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // Closing a socket whose peer is gone: nothing to do.
        }
    }
}
