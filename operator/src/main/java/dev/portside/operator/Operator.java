package dev.portside.operator;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portside.common.db.Database;
import dev.portside.common.http.Access;
import dev.portside.common.http.ErrorFormat;
import dev.portside.common.http.HttpStatusTitles;
import dev.portside.common.http.Requests;
import dev.portside.common.json.Json;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * What whoever runs Portside watches it through, served on a port of its own: {@code GET /metrics}
 * (every service's metrics, in Prometheus' text format) and {@code GET /healthz} (200 while the
 * database answers, 503 with the reason when it does not). Neither needs a token: they are for the
 * operator's own network (the port binds to loopback unless told otherwise).
 */
public final class Operator {
    private static final Logger LOG = LoggerFactory.getLogger(Operator.class);

    private final PrometheusRegistry registry;
    private final Database database;
    private final PrometheusTextFormatWriter text = PrometheusTextFormatWriter.create();

    public Operator(PrometheusRegistry registry, Database database) {
        this.registry = registry;
        this.database = database;
    }

    /** Errors as JSON, in Keystone's shape (code, title, message): the operator's clients read any JSON. */
    public ErrorFormat errors() {
        return error -> {
            ObjectNode body = Json.object();
            body.putObject("error").put("code", error.status()).put("title", HttpStatusTitles.of(error.status()))
                    .put("message", error.getMessage());
            return body;
        };
    }

    public void register(Javalin app) {
        app.get("/metrics", this::metrics, Access.PUBLIC);
        app.get("/healthz", this::health, Access.PUBLIC);
    }

    private void metrics(Context ctx) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            text.write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ctx.contentType(PrometheusTextFormatWriter.CONTENT_TYPE).result(out.toByteArray());
    }

    private void health(Context ctx) {
        ObjectNode body = Json.object();
        try {
            database.jdbi().withHandle(h -> h.createQuery("SELECT 1").mapTo(Integer.class).one());
            body.put("status", "ok").put("database", "ok");
            Requests.respond(ctx, 200, body);
        } catch (RuntimeException e) {
            LOG.warn("health check: the database does not answer: {}", e.getMessage());
            body.put("status", "unavailable").put("database", String.valueOf(e.getMessage()));
            Requests.respond(ctx, 503, body);
        }
    }
}
