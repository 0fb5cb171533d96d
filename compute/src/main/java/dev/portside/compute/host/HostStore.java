package dev.portside.compute.host;

import dev.portside.compute.virt.HostResources;
import org.jdbi.v3.core.Handle;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Compute hosts and the resources servers claim on them. A host in its own process is alive while
 * it reports: one silent for longer than {@code serviceDownTime} reads as not reporting (Nova's
 * service_down_time).
 */
public final class HostStore {
    /** Nova's service_down_time default. */
    public static final Duration SERVICE_DOWN_TIME = Duration.ofSeconds(60);

    private final Clock clock;
    private final Duration serviceDownTime;

    public HostStore(Clock clock, Duration serviceDownTime) {
        this.clock = clock;
        this.serviceDownTime = serviceDownTime;
    }

    /**
     * Records a host a driver of this process serves, or its new capacity; an operator's
     * enabled/disabled choice is kept. It is alive while this process is.
     */
    public void register(Handle h, HostResources resources, Instant now) {
        int updated = h.createUpdate("UPDATE compute_host SET hypervisor_type = :type, vcpus = :vcpus, memory_mb = :ram,"
                        + " local_gb = :disk, reported_at = NULL, updated_at = :now WHERE host = :host")
                .bindMap(columns(resources)).bind("now", Timestamp.from(now)).execute();
        if (updated == 0) {
            h.createUpdate("INSERT INTO compute_host (host, hypervisor_type, vcpus, memory_mb, local_gb, enabled, updated_at)"
                            + " VALUES (:host, :type, :vcpus, :ram, :disk, TRUE, :now)")
                    .bindMap(columns(resources)).bind("now", Timestamp.from(now)).execute();
        }
    }

    /**
     * A host in its own process says it is alive (at start and then every report interval): its
     * capacity and tunnel address are recorded, and when it reported; false when it was not known before.
     */
    public boolean report(Handle h, HostResources resources, String hostIp, Instant now) {
        int updated = h.createUpdate("UPDATE compute_host SET hypervisor_type = :type, vcpus = :vcpus, memory_mb = :ram,"
                        + " local_gb = :disk, host_ip = :ip, reported_at = :now, updated_at = :now WHERE host = :host")
                .bindMap(columns(resources)).bind("ip", hostIp).bind("now", Timestamp.from(now)).execute();
        if (updated == 0) {
            h.createUpdate("INSERT INTO compute_host (host, hypervisor_type, vcpus, memory_mb, local_gb, enabled, host_ip,"
                            + " reported_at, updated_at) VALUES (:host, :type, :vcpus, :ram, :disk, TRUE, :ip, :now, :now)")
                    .bindMap(columns(resources)).bind("ip", hostIp).bind("now", Timestamp.from(now)).execute();
        }
        return updated != 0;
    }

    private static Map<String, Object> columns(HostResources r) {
        return Map.of("host", r.host(), "type", r.hypervisorType(), "vcpus", r.vcpus(), "ram", r.memoryMb(),
                "disk", r.localGb());
    }

    public List<ComputeHost> all(Handle h) {
        return h.createQuery("SELECT * FROM compute_host ORDER BY id").map((rs, ctx) -> row(rs)).list();
    }

    public Optional<ComputeHost> find(Handle h, String host) {
        return h.createQuery("SELECT * FROM compute_host WHERE host = :host").bind("host", host)
                .map((rs, ctx) -> row(rs)).findOne();
    }

    /** The host, row-locked: claims on one host are made one at a time, so two boots cannot both take its last room. */
    public Optional<ComputeHost> lock(Handle h, String host) {
        return h.createQuery("SELECT * FROM compute_host WHERE host = :host FOR UPDATE").bind("host", host)
                .map((rs, ctx) -> row(rs)).findOne();
    }

    public void setEnabled(Handle h, String host, boolean enabled, Optional<String> reason, Instant now) {
        h.createUpdate("UPDATE compute_host SET enabled = :enabled, disabled_reason = :reason, updated_at = :now"
                        + " WHERE host = :host")
                .bind("host", host).bind("enabled", enabled).bind("reason", reason.orElse(null))
                .bind("now", Timestamp.from(now)).execute();
    }

    public void setForcedDown(Handle h, String host, boolean forcedDown, Instant now) {
        h.createUpdate("UPDATE compute_host SET forced_down = :down, updated_at = :now WHERE host = :host")
                .bind("host", host).bind("down", forcedDown).bind("now", Timestamp.from(now)).execute();
    }

    /** The servers each host holds, by host: their ids and instance names, oldest first (os-hypervisors with_servers). */
    public Map<String, List<Map.Entry<String, String>>> servers(Handle h) {
        Map<String, List<Map.Entry<String, String>>> byHost = new HashMap<>();
        h.createQuery("SELECT id, number, host FROM compute_server WHERE host IS NOT NULL ORDER BY number")
                .map((rs, ctx) -> byHost.computeIfAbsent(rs.getString("host"), k -> new java.util.ArrayList<>())
                        .add(Map.entry(rs.getString("id"), String.format("instance-%08x", rs.getLong("number")))))
                .list();
        return byHost;
    }

    // What servers hold of a host: their flavors, and a resized server's old flavor too until the
    // resize is confirmed or reverted (both are on this host, as with Nova's resize to the same host).
    private static final String HELD = "COALESCE(SUM(vcpus + COALESCE(old_vcpus, 0)), 0) AS vcpus,"
            + " COALESCE(SUM(memory_mb + COALESCE(old_memory_mb, 0)), 0) AS ram,"
            + " COALESCE(SUM(root_gb + COALESCE(old_root_gb, 0)), 0) AS disk";

    public Map<String, Usage> usage(Handle h) {
        Map<String, Usage> usage = new HashMap<>();
        h.createQuery("SELECT host, " + HELD + ", COUNT(*) AS n FROM compute_server WHERE host IS NOT NULL GROUP BY host")
                .map((rs, ctx) -> usage.put(rs.getString("host"), new Usage(rs.getInt("vcpus"), rs.getInt("ram"),
                        rs.getInt("disk"), rs.getInt("n"))))
                .list();
        return usage;
    }

    public Usage usage(Handle h, String host) {
        return h.createQuery("SELECT " + HELD + ", COUNT(*) AS n FROM compute_server WHERE host = :host")
                .bind("host", host)
                .map((rs, ctx) -> new Usage(rs.getInt("vcpus"), rs.getInt("ram"), rs.getInt("disk"), rs.getInt("n")))
                .one();
    }

    private ComputeHost row(java.sql.ResultSet rs) throws java.sql.SQLException {
        Timestamp reported = rs.getTimestamp("reported_at");
        boolean reporting = reported == null
                || !reported.toInstant().plus(serviceDownTime).isBefore(clock.instant());
        return new ComputeHost(rs.getInt("id"), rs.getString("host"), rs.getString("hypervisor_type"),
                rs.getInt("vcpus"), rs.getInt("memory_mb"), rs.getInt("local_gb"), rs.getBoolean("enabled"),
                Optional.ofNullable(rs.getString("disabled_reason")), rs.getBoolean("forced_down"), reporting,
                Optional.ofNullable(rs.getString("host_ip")), rs.getTimestamp("updated_at").toInstant());
    }
}
