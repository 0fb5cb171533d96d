package dev.portside.app.messaging;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Portside's messages over a real RabbitMQ (bin/broker), in a virtual host of this test's own:
 * calls get their answer or a clear failure - at once when nobody serves the queue, after the
 * timeout when nobody answers - casts go to one of the consumers sharing a queue, broadcasts to
 * every subscriber.
 */
class BusTest {
    private static String vhost;
    private static String url;

    @BeforeAll
    static void broker() throws Exception {
        vhost = "portside-bus-" + UUID.randomUUID().toString().substring(0, 8);
        run(Path.of(System.getProperty("user.dir")).getParent().resolve("bin/broker").toString());
        run("rabbitmqctl", "-q", "add_vhost", vhost);
        run("rabbitmqctl", "-q", "set_permissions", "-p", vhost, "portside", ".*", ".*", ".*");
        url = "rabbit://portside:portside@127.0.0.1:5672/" + vhost;
    }

    @AfterAll
    static void removeVhost() throws Exception {
        run("rabbitmqctl", "-q", "delete_vhost", vhost);
    }

    private static void run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(String.join(" ", command) + ": " + out).isZero();
    }

    private static Bus connect(String name) {
        return Bus.connect(url, name, Duration.ofSeconds(10), 4);
    }

    @Test
    void aCallGetsItsAnswerOrTheServersErrorAsAFailure() {
        try (Bus server = connect("server"); Bus client = connect("client")) {
            server.serve("compute.h1", false, (method, args) -> switch (method) {
                case "add" -> args.get("a").asInt() + args.get("b").asInt();
                case "echo" -> Map.of("said", args.get("text").asText());
                default -> throw new IllegalArgumentException("no such method " + method);
            });
            assertThat(client.call("compute.h1", "add", Map.of("a", 2, "b", 3), Duration.ofSeconds(5)).asInt()).isEqualTo(5);
            JsonNode echoed = client.call("compute.h1", "echo", Map.of("text", "hi"), Duration.ofSeconds(5));
            assertThat(echoed.get("said").asText()).isEqualTo("hi");
            assertThatThrownBy(() -> client.call("compute.h1", "divide", Map.of(), Duration.ofSeconds(5)))
                    .isInstanceOf(BusException.class).hasMessage("no such method divide");
        }
    }

    @Test
    void aCallToAQueueNobodyServesFailsAtOnceAndOneNobodyAnswersAfterItsTimeout() {
        try (Bus server = connect("server"); Bus client = connect("client")) {
            Instant start = Instant.now();
            assertThatThrownBy(() -> client.call("compute.nobody", "spawn", Map.of(), Duration.ofSeconds(30)))
                    .isInstanceOf(BusException.class).hasMessageContaining("nobody serves compute.nobody");
            assertThat(Duration.between(start, Instant.now())).as("not the timeout").isLessThan(Duration.ofSeconds(10));

            server.serve("compute.slow", false, (method, args) -> {
                Thread.sleep(3000);
                return "late";
            });
            assertThatThrownBy(() -> client.call("compute.slow", "spawn", Map.of(), Duration.ofSeconds(1)))
                    .isInstanceOf(BusException.class).hasMessageContaining("no answer from compute.slow");
        }
    }

    @Test
    void castsToASharedQueueGoToOneConsumerEachAndBroadcastsToEverySubscriber() throws Exception {
        List<String> taken = new CopyOnWriteArrayList<>();
        Map<String, Set<String>> heard = new ConcurrentHashMap<>();
        try (Bus first = connect("first"); Bus second = connect("second"); Bus sender = connect("sender")) {
            for (Bus bus : List.of(first, second)) {
                String name = bus == first ? "first" : "second";
                bus.serve("portside.reports", true, (method, args) -> taken.add(args.get("n").asText()));
                bus.subscribe("portside.hosts", (method, args) -> heard.computeIfAbsent(name, n ->
                        ConcurrentHashMap.newKeySet()).add(args.get("n").asText()));
            }
            for (int i = 0; i < 20; i++) {
                sender.cast("portside.reports", "report", Map.of("n", String.valueOf(i)));
            }
            sender.broadcast("portside.hosts", "refresh", Map.of("n", "1"));
            Instant deadline = Instant.now().plusSeconds(10);
            while ((taken.size() < 20 || heard.size() < 2) && Instant.now().isBefore(deadline)) {
                Thread.sleep(50);
            }
            assertThat(taken).as("each cast taken once").hasSize(20).doesNotHaveDuplicates();
            assertThat(heard).containsEntry("first", Set.of("1")).containsEntry("second", Set.of("1"));
        }
    }
}
