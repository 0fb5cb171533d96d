package dev.portside.compute.server;

import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.Collector;
import org.jdbi.v3.core.Jdbi;

import java.util.List;

/**
 * What /metrics shows of compute: server builds by how they ended (the server's vm_state after its
 * build: active, error; deleted when it went first) and how long they took, and servers by vm_state,
 * read from the database at each scrape.
 */
final class ServerMetrics {
    private final Histogram builds = Histogram.builder().name("portside_server_builds_seconds")
            .help("Server builds, by how they ended (active, error, deleted), and how long each took")
            .labelNames("result").classicUpperBounds(0.5, 1, 2.5, 5, 10, 30, 60, 120, 300).build();
    private final GaugeWithCallback servers;

    ServerMetrics(Jdbi jdbi) {
        this.servers = GaugeWithCallback.builder().name("portside_servers").help("Servers by vm_state")
                .labelNames("vm_state")
                .callback(gauge -> jdbi.useHandle(h -> h.createQuery(
                                "SELECT vm_state, COUNT(*) AS n FROM compute_server GROUP BY vm_state")
                        .map((rs, c) -> {
                            gauge.call(rs.getLong("n"), rs.getString("vm_state"));
                            return true;
                        }).list()))
                .build();
    }

    void built(String result, double seconds) {
        builds.labelValues(result).observe(seconds);
    }

    List<Collector> collectors() {
        return List.of(builds, servers);
    }
}
