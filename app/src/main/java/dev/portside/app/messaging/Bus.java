package dev.portside.app.messaging;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.Delivery;
import com.rabbitmq.client.Recoverable;
import com.rabbitmq.client.RecoveryListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Messages between Portside's controllers and its compute hosts, through RabbitMQ (the broker
 * Nova's and Neutron's oslo.messaging use). A <em>cast</em> goes to a queue and nobody answers it;
 * a <em>call</em> waits a bounded time for the answer of whoever serves the queue (RabbitMQ's
 * direct reply-to); a <em>broadcast</em> reaches every subscriber of a fanout exchange. A message is
 * {@code {"method": ..., "args": ...}} in JSON, an answer {@code {"result": ...}} or
 * {@code {"error": ...}}. Messages to a queue nobody consumes come back at once (mandatory
 * publishing): a call to a host that is not connected fails then, not after its timeout. The
 * connection recovers by itself when the broker comes back; {@link #onRecovery} says when.
 */
public final class Bus implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Bus.class);
    private static final String DIRECT_REPLY_TO = "amq.rabbitmq.reply-to";
    // Messages carry Portside's records, whose absent values are Optionals; a newer sender's extra fields are ignored.
    public static final ObjectMapper MAPPER = JsonMapper.builder().addModule(new Jdk8Module())
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    /** Answers one kind of message: the method's name and its arguments; the result is sent back to a call. */
    @FunctionalInterface
    public interface Handler {
        Object handle(String method, JsonNode args) throws Exception;
    }

    private final Connection connection;
    private final Channel publishing;
    private final Map<String, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final ExecutorService handlers;

    private Bus(Connection connection, int handlerThreads) throws IOException {
        this.connection = connection;
        this.handlers = Executors.newFixedThreadPool(handlerThreads, Thread.ofPlatform().name("bus-handler-", 0).daemon()
                .factory());
        this.publishing = connection.createChannel();
        publishing.basicConsume(DIRECT_REPLY_TO, true, (tag, delivery) -> answered(delivery), tag -> { });
        publishing.addReturnListener(returned -> {
            String id = returned.getProperties().getCorrelationId();
            CompletableFuture<JsonNode> waiting = id == null ? null : pending.remove(id);
            String why = "nobody serves " + returned.getRoutingKey() + " (" + returned.getReplyText() + ")";
            if (waiting != null) {
                waiting.completeExceptionally(new BusException(why));
            } else {
                LOG.warn("a message was not delivered: {}", why);
            }
        });
    }

    /**
     * Connects to the broker at {@code url} ({@code amqp://user:password@host:port/vhost}, or oslo's
     * {@code rabbit://...}), trying again every second for up to {@code patience}.
     */
    public static Bus connect(String url, String name, Duration patience, int handlerThreads) {
        ConnectionFactory factory = new ConnectionFactory();
        try {
            factory.setUri(url.replaceFirst("^rabbit://", "amqp://"));
        } catch (Exception e) {
            throw new BusException("not a broker URL: " + url.replaceAll(":[^:@/]*@", ":***@"), e);
        }
        // oslo's "rabbit://user:password@host:5672/" means the default virtual host, "/"; the client reads "".
        if (factory.getVirtualHost().isEmpty()) {
            factory.setVirtualHost("/");
        }
        factory.setAutomaticRecoveryEnabled(true);
        factory.setTopologyRecoveryEnabled(true);
        factory.setNetworkRecoveryInterval(1000);
        factory.setRequestedHeartbeat(10);
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            try {
                return new Bus(factory.newConnection(name), handlerThreads);
            } catch (IOException | TimeoutException e) {
                if (System.nanoTime() > deadline) {
                    throw new BusException("cannot reach the message broker at " + factory.getHost() + ":"
                            + factory.getPort() + ": " + e.getMessage(), e);
                }
                LOG.info("waiting for the message broker at {}:{} ({})", factory.getHost(), factory.getPort(), e.getMessage());
                sleep(Duration.ofSeconds(1));
            }
        }
    }

    /** Runs {@code action} each time the connection came back after the broker was lost. */
    public void onRecovery(Runnable action) {
        ((Recoverable) connection).addRecoveryListener(new RecoveryListener() {
            @Override
            public void handleRecovery(Recoverable recoverable) {
                handlers.execute(action);
            }

            @Override
            public void handleRecoveryStarted(Recoverable recoverable) {
                LOG.warn("lost the message broker; reconnecting");
            }
        });
    }

    /** Sends a message nobody answers; fails only when the broker cannot take it now. */
    public void cast(String queue, String method, Object args) {
        publish("", queue, message(method, args), new AMQP.BasicProperties.Builder().contentType("application/json")
                .build());
    }

    /** Sends to every subscriber of {@code exchange}, a fanout exchange. */
    public void broadcast(String exchange, String method, Object args) {
        declareFanout(exchange);
        publish(exchange, "", message(method, args), new AMQP.BasicProperties.Builder().contentType("application/json")
                .build());
    }

    /** Sends a message to {@code queue} and waits up to {@code timeout} for its answer's result. */
    public JsonNode call(String queue, String method, Object args, Duration timeout) {
        String id = UUID.randomUUID().toString();
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        pending.put(id, answer);
        try {
            publish("", queue, message(method, args), new AMQP.BasicProperties.Builder().contentType("application/json")
                    .correlationId(id).replyTo(DIRECT_REPLY_TO)
                    .expiration(String.valueOf(timeout.toMillis())).build());
            JsonNode reply = answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (reply.has("error")) {
                throw new BusException(reply.get("error").asText());
            }
            return reply.path("result");
        } catch (TimeoutException e) {
            throw new BusException("no answer from " + queue + " to " + method + " within " + timeout.toSeconds() + " s");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof BusException failure ? failure : new BusException(e.getCause().getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BusException("interrupted waiting for " + queue, e);
        } finally {
            pending.remove(id);
        }
    }

    /** {@link #call}, its result read as {@code type}. */
    public <T> T call(String queue, String method, Object args, Duration timeout, JavaType type) {
        return MAPPER.convertValue(call(queue, method, args, timeout), type);
    }

    /**
     * Consumes {@code queue} with {@code handler}: a shared queue ({@code shared}: durable, several
     * consumers take turns, as controllers do) or this process's own (gone when it disconnects, so
     * nothing piles up for a process that is not there).
     */
    public void serve(String queue, boolean shared, Handler handler) {
        try {
            Channel channel = connection.createChannel();
            channel.queueDeclare(queue, shared, !shared, !shared, null);
            channel.basicQos(16);
            channel.basicConsume(queue, false, (tag, delivery) -> handlers.execute(() -> handle(channel, delivery, handler)),
                    tag -> { });
        } catch (IOException e) {
            throw new BusException("cannot consume " + queue + ": " + e.getMessage(), e);
        }
    }

    /** Receives every broadcast to the fanout {@code exchange} from now on. */
    public void subscribe(String exchange, Handler handler) {
        try {
            Channel channel = connection.createChannel();
            channel.exchangeDeclare(exchange, BuiltinExchangeType.FANOUT, true);
            String queue = channel.queueDeclare().getQueue();
            channel.queueBind(queue, exchange, "");
            channel.basicConsume(queue, false, (tag, delivery) -> handlers.execute(() -> handle(channel, delivery, handler)),
                    tag -> { });
        } catch (IOException e) {
            throw new BusException("cannot subscribe to " + exchange + ": " + e.getMessage(), e);
        }
    }

    private void declareFanout(String exchange) {
        synchronized (publishing) {
            try {
                publishing.exchangeDeclare(exchange, BuiltinExchangeType.FANOUT, true);
            } catch (IOException e) {
                throw new BusException("cannot declare " + exchange + ": " + e.getMessage(), e);
            }
        }
    }

    private void handle(Channel channel, Delivery delivery, Handler handler) {
        ObjectNode reply = MAPPER.createObjectNode();
        String method = "";
        try {
            JsonNode message = MAPPER.readTree(delivery.getBody());
            method = message.path("method").asText();
            reply.set("result", MAPPER.valueToTree(handler.handle(method, message.path("args"))));
        } catch (Exception e) {
            LOG.warn("{} failed: {}", method.isEmpty() ? "a message" : method, e.getMessage());
            reply.put("error", e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
        String replyTo = delivery.getProperties().getReplyTo();
        if (replyTo != null) {
            try {
                publish("", replyTo, MAPPER.writeValueAsBytes(reply), new AMQP.BasicProperties.Builder()
                        .contentType("application/json").correlationId(delivery.getProperties().getCorrelationId())
                        .build(), false);
            } catch (JsonProcessingException | BusException e) {
                LOG.warn("cannot answer {}: {}", method, e.getMessage());
            }
        }
        synchronized (channel) {
            try {
                channel.basicAck(delivery.getEnvelope().getDeliveryTag(), false);
            } catch (IOException | com.rabbitmq.client.AlreadyClosedException e) {
                // The broker went away: it delivers the message again once back.
                LOG.debug("cannot acknowledge {}: {}", method, e.getMessage());
            }
        }
    }

    private void answered(Delivery delivery) {
        CompletableFuture<JsonNode> waiting = pending.remove(String.valueOf(delivery.getProperties().getCorrelationId()));
        if (waiting == null) {
            return;
        }
        try {
            waiting.complete(MAPPER.readTree(delivery.getBody()));
        } catch (IOException e) {
            waiting.completeExceptionally(new BusException("an answer that is not JSON: " + e.getMessage(), e));
        }
    }

    private static byte[] message(String method, Object args) {
        ObjectNode message = MAPPER.createObjectNode().put("method", method);
        message.set("args", MAPPER.valueToTree(args));
        try {
            return MAPPER.writeValueAsBytes(message);
        } catch (JsonProcessingException e) {
            throw new BusException("cannot write " + method + ": " + e.getMessage(), e);
        }
    }

    private void publish(String exchange, String key, byte[] body, AMQP.BasicProperties properties) {
        publish(exchange, key, body, properties, true);
    }

    private void publish(String exchange, String key, byte[] body, AMQP.BasicProperties properties, boolean mandatory) {
        synchronized (publishing) {
            try {
                publishing.basicPublish(exchange, key, mandatory, properties, body);
            } catch (IOException | com.rabbitmq.client.AlreadyClosedException e) {
                throw new BusException("the message broker is not reachable: " + e.getMessage(), e);
            }
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BusException("interrupted", e);
        }
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (IOException | com.rabbitmq.client.AlreadyClosedException e) {
            LOG.debug("closing the broker connection: {}", e.getMessage());
        }
        handlers.shutdown();
    }
}
