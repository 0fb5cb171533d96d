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
import java.io.InputStream;
import java.net.URI;
import java.time.Clock;
import java.util.Map;
import java.io.UncheckedIOException;

/**
 * What whoever runs Portside watches it through, served on a port of its own: {@code GET /metrics}
 * (every service's metrics, in Prometheus' text format) and {@code GET /healthz} (200 while the
 * database answers, 503 with the reason when it does not), which need no token: they are for the
 * operator's own network (the port binds to loopback unless told otherwise). And a page, {@code /},
 * where a user logs in and sees their project's topology and its ports' traffic: it reads the
 * public APIs through {@code /api/{service}/...} and the dataplane's counters through
 * {@code /v1/port-counters}, both with the user's own token.
 */
public final class Operator {
    private static final Logger LOG = LoggerFactory.getLogger(Operator.class);

    private final PrometheusRegistry registry;
    private final Database database;
    private final PrometheusTextFormatWriter text = PrometheusTextFormatWriter.create();

    private final ApiProxy proxy;
    private final CountersApi counters;

    /**
     * {@code services}: the public APIs' endpoints the page reads, by catalog type ({@code identity},
     * {@code network}, {@code compute}), without their version path.
     */
    public Operator(PrometheusRegistry registry, Database database, Map<String, URI> services, PortCounters counters,
                    Clock clock) {
        this.registry = registry;
        this.database = database;
        if (!services.containsKey("network")) {
            throw new IllegalArgumentException("the page needs the network service's endpoint");
        }
        this.proxy = new ApiProxy(services);
        this.counters = new CountersApi(proxy, counters, clock);
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
        proxy.register(app);
        counters.register(app);
        // The page: static files, no build step and nothing fetched from elsewhere at run time.
        app.get("/", ctx -> page(ctx, "index.html", "text/html; charset=utf-8"), Access.PUBLIC);
        app.get("/page.js", ctx -> page(ctx, "page.js", "text/javascript; charset=utf-8"), Access.PUBLIC);
        app.get("/page.css", ctx -> page(ctx, "page.css", "text/css; charset=utf-8"), Access.PUBLIC);
    }

    private static void page(Context ctx, String file, String contentType) throws IOException {
        try (InputStream in = Operator.class.getResourceAsStream("page/" + file)) {
            if (in == null) {
                throw new IllegalStateException("the page's " + file + " is missing from the jar");
            }
            ctx.contentType(contentType).header("Cache-Control", "no-cache").result(in.readAllBytes());
        }
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
