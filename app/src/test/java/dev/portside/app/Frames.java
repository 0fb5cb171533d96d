package dev.portside.app;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Raw Ethernet frames sent from inside one instance and counted inside another (frames.py, in the
 * instances' network namespaces): what the host's port filtering lets through, seen from the far side.
 */
final class Frames {
    // Frames cross veths and bridges in microseconds; the window only has to outlast the sender's start.
    private static final double LISTEN_SECONDS = 1.5;
    private final Path script;

    Frames(Path directory) throws IOException {
        script = directory.resolve("frames.py");
        try (InputStream in = Frames.class.getResourceAsStream("/frames.py")) {
            Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /** The namespace of the instance of server {@code serverId} (the namespace driver's naming). */
    static String namespace(String serverId) {
        return "portside-" + serverId;
    }

    /** One test: {@code count} frames sent from one instance's interface; returns how many the other counted. */
    int sendAndCount(Endpoint from, Endpoint to, String sourceMac, String ethertype, int count, String... ipv4)
            throws IOException, InterruptedException {
        return sendAndCount(List.of("send", from.device()), from, to, sourceMac, ethertype, count, ipv4);
    }

    /** As {@link #sendAndCount}, the frames tagged for {@code vlan} on the sending interface (a trunk's parent). */
    int sendTaggedAndCount(int vlan, Endpoint from, Endpoint to, String sourceMac, String ethertype, int count,
                           String... ipv4) throws IOException, InterruptedException {
        return sendAndCount(List.of("send-tagged", String.valueOf(vlan), from.device()), from, to, sourceMac, ethertype,
                count, ipv4);
    }

    private int sendAndCount(List<String> how, Endpoint from, Endpoint to, String sourceMac, String ethertype, int count,
                             String... ipv4) throws IOException, InterruptedException {
        Process listener = new ProcessBuilder("ip", "netns", "exec", to.namespace(), "/usr/bin/python3", script.toString(),
                "count", to.device(), ethertype, String.valueOf(LISTEN_SECONDS)).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(listener.getInputStream(), StandardCharsets.UTF_8));
        assertThat(out.readLine()).isEqualTo("ready");
        List<String> send = new ArrayList<>(List.of("ip", "netns", "exec", from.namespace(), "/usr/bin/python3",
                script.toString()));
        send.addAll(how);
        send.addAll(List.of(to.mac(), sourceMac, ethertype, String.valueOf(count)));
        send.addAll(List.of(ipv4));
        Process sender = new ProcessBuilder(send).redirectErrorStream(true).start();
        String sent = new String(sender.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(sender.waitFor()).as(sent).isZero();
        String counted = out.readLine();
        assertThat(listener.waitFor(10, TimeUnit.SECONDS)).isTrue();
        return Integer.parseInt(counted.strip());
    }

    /** An instance's interface: its namespace, its device inside, and the MAC frames to it are sent to. */
    record Endpoint(String namespace, String device, String mac) {
    }
}
