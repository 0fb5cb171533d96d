package dev.portside.common.metrics;

import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The API servers' requests as Prometheus counts them: one latency histogram by service, route,
 * method and status. The route is the pattern the request matched ({@code /v2.0/ports/{id}}), not
 * its path, so that ids do not make a series each; a request no route matched counts as
 * {@value #UNMATCHED}.
 */
public final class RequestMetrics {
    public static final String UNMATCHED = "unmatched";

    private final Histogram requests;

    private RequestMetrics(Histogram requests) {
        this.requests = requests;
    }

    /** Counted in {@code registry}, which {@code /metrics} exposes. */
    public static RequestMetrics registeredIn(PrometheusRegistry registry) {
        return new RequestMetrics(builder().register(registry));
    }

    /** Counted, and exposed nowhere: for a server on its own (one service's functional tests). */
    public static RequestMetrics unregistered() {
        return new RequestMetrics(builder().build());
    }

    private static Histogram.Builder builder() {
        return Histogram.builder().name("portside_http_requests_seconds")
                .help("API requests answered, by service, route, method and status, and how long each took")
                .labelNames("service", "route", "method", "status")
                .classicOnly();
    }

    public void observe(String service, String route, String method, int status, double seconds) {
        requests.labelValues(service, route, method, String.valueOf(status)).observe(seconds);
    }
}
