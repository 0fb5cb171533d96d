package dev.portside.common.quota;

import org.jdbi.v3.core.Handle;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SequencedMap;

/**
 * One service's per-project quotas: its defaults (Nova's, Neutron's, Glance's), the overrides admins
 * set per project, and the check made when something counted is created.
 *
 * <p>Usage is counted from the service's own rows inside the creating transaction, after taking the
 * project's quota lock (a row in {@code <service>_quota_lock}, locked {@code FOR UPDATE}): two
 * creates in one project are serialised from the count to the commit, so no interleaving can take a
 * project past its limit, and there is no separate usage counter to drift from the rows (Nova's
 * "counted" quotas, made safe by the lock rather than by a recheck). The lock row is made on first
 * need. Limits live in
 * {@code <service>_quota (project_id, resource, hard_limit)}; -1 is unlimited.
 */
public final class Quotas {
    public static final long UNLIMITED = -1;

    /** How many of a resource a project has now, counted from the service's rows. */
    @FunctionalInterface
    public interface Usage {
        long used(Handle h, String projectId, String resource);
    }

    /** A resource the request would take past its limit. */
    public record Over(String resource, long requested, long used, long limit) {
    }

    /**
     * Where a project's own limits come from: by default this service's {@code <service>_quota} rows;
     * a service that takes its limits from Keystone's unified limits (Glance) reads them there.
     */
    @FunctionalInterface
    public interface Overrides {
        Map<String, Long> of(Handle h, String projectId);
    }

    /** A resource's limit and what the project uses of it. */
    public record Detail(long limit, long used) {
    }

    private final String limitTable;
    private final String lockTable;
    private final SequencedMap<String, Long> defaults;
    private final Usage usage;
    private final Overrides overrides;

    public Quotas(String service, SequencedMap<String, Long> defaults, Usage usage) {
        this(service, defaults, usage, null);
    }

    /** Limits from {@code overrides} instead of this service's own table. */
    public Quotas(String service, SequencedMap<String, Long> defaults, Usage usage, Overrides overrides) {
        this.limitTable = service + "_quota";
        this.lockTable = service + "_quota_lock";
        this.defaults = java.util.Collections.unmodifiableSequencedMap(new LinkedHashMap<>(defaults));
        this.usage = usage;
        this.overrides = overrides != null ? overrides : this::rows;
    }

    /**
     * A limit as Nova's and Neutron's quota APIs accept it: an integer, or a string of digits as older
     * clients send; empty when it is neither. Each API words its own refusal, and of a value below -1.
     */
    public static java.util.Optional<Long> parseLimit(com.fasterxml.jackson.databind.JsonNode value) {
        if (value.isIntegralNumber() && value.canConvertToLong()) {
            return java.util.Optional.of(value.longValue());
        }
        if (value.isTextual() && value.textValue().matches("-?\\d{1,18}")) {
            return java.util.Optional.of(Long.parseLong(value.textValue()));
        }
        return java.util.Optional.empty();
    }

    /** The resources this service counts, in the order the API lists them, with their defaults. */
    public SequencedMap<String, Long> defaults() {
        return defaults;
    }

    /** The project's limits: its overrides over the defaults. */
    public SequencedMap<String, Long> limits(Handle h, String projectId) {
        SequencedMap<String, Long> limits = new LinkedHashMap<>(defaults);
        overrides.of(h, projectId).forEach((resource, limit) -> limits.computeIfPresent(resource, (k, v) -> limit));
        return limits;
    }

    private Map<String, Long> rows(Handle h, String projectId) {
        Map<String, Long> rows = new java.util.HashMap<>();
        h.createQuery("SELECT resource, hard_limit FROM " + limitTable + " WHERE project_id = :project")
                .bind("project", projectId)
                .map((rs, ctx) -> Map.entry(rs.getString("resource"), rs.getLong("hard_limit")))
                .forEach(row -> rows.put(row.getKey(), row.getValue()));
        return rows;
    }

    /** Limits and usage of every resource, for the APIs' detail views. */
    public SequencedMap<String, Detail> details(Handle h, String projectId) {
        SequencedMap<String, Detail> details = new LinkedHashMap<>();
        limits(h, projectId).forEach((resource, limit) ->
                details.put(resource, new Detail(limit, usage.used(h, projectId, resource))));
        return details;
    }

    /** Projects with at least one override, for the admins' lists. */
    public List<String> projectsWithOverrides(Handle h) {
        return h.createQuery("SELECT DISTINCT project_id FROM " + limitTable + " ORDER BY project_id")
                .mapTo(String.class).list();
    }

    /**
     * Sets some of a project's limits. The caller has checked the names (each API words that error its
     * own way); a limit below -1 is refused here as every API refuses it.
     */
    public void set(Handle h, String projectId, Map<String, Long> limits) {
        limits.forEach((resource, limit) -> {
            if (!defaults.containsKey(resource)) {
                throw new IllegalArgumentException("unknown quota resource " + resource);
            }
            h.createUpdate("DELETE FROM " + limitTable + " WHERE project_id = :project AND resource = :resource")
                    .bind("project", projectId).bind("resource", resource).execute();
            h.createUpdate("INSERT INTO " + limitTable + " (project_id, resource, hard_limit)"
                            + " VALUES (:project, :resource, :limit)")
                    .bind("project", projectId).bind("resource", resource).bind("limit", limit).execute();
        });
    }

    /** Drops the project's overrides: its limits are the defaults again. */
    public void reset(Handle h, String projectId) {
        h.createUpdate("DELETE FROM " + limitTable + " WHERE project_id = :project").bind("project", projectId).execute();
    }

    /**
     * Takes the project's quota lock, then checks that {@code requested} more of each resource fit.
     * Call it first in the transaction that creates them, so the lock is always taken before any
     * other row lock and two transactions never wait on each other in opposite orders.
     *
     * @return the resources that would go over their limit; empty when all fit
     */
    public List<Over> claim(Handle h, String projectId, Map<String, Long> requested) {
        return claim(h, projectId, requested, usage);
    }

    /**
     * As {@link #claim(Handle, String, Map)}, with usage counted another way: Nova limits a user's key
     * pairs by the project's {@code key_pairs} quota but counts the user's own.
     */
    public List<Over> claim(Handle h, String projectId, Map<String, Long> requested, Usage usage) {
        // Against unlimited quotas there is nothing to count, so nothing to serialise: a project's creates
        // run in parallel unless a limit applies. (A limit set while creates are in flight may be passed by
        // those creates, as lowering a limit below the usage already may.)
        Map<String, Long> limits = limits(h, projectId);
        if (requested.keySet().stream().allMatch(resource -> limits.getOrDefault(resource, UNLIMITED) == UNLIMITED)) {
            return List.of();
        }
        lock(h, projectId);
        return over(h, projectId, requested, usage);
    }

    /**
     * Takes the project's quota lock and answers how many units, each taking {@code perUnit} of the
     * resources, fit under the limits, at most {@code wanted}: Nova's min_count/max_count, where a
     * request for up to N servers gets as many as the quota allows.
     */
    public long fit(Handle h, String projectId, Map<String, Long> perUnit, long wanted) {
        lock(h, projectId);
        Map<String, Long> limits = limits(h, projectId);
        long fit = wanted;
        for (var entry : perUnit.entrySet()) {
            long limit = limits.getOrDefault(entry.getKey(), UNLIMITED);
            if (limit == UNLIMITED || entry.getValue() <= 0) {
                continue;
            }
            long free = Math.max(0, limit - usage.used(h, projectId, entry.getKey()));
            fit = Math.min(fit, free / entry.getValue());
        }
        return fit;
    }

    /** What each resource would be over, were {@code units} more made: for the refusal's message. */
    public List<Over> overs(Handle h, String projectId, Map<String, Long> perUnit, long units) {
        Map<String, Long> requested = new LinkedHashMap<>();
        perUnit.forEach((resource, each) -> requested.put(resource, each * units));
        return over(h, projectId, requested, usage);
    }

    private List<Over> over(Handle h, String projectId, Map<String, Long> requested, Usage usage) {
        Map<String, Long> limits = limits(h, projectId);
        List<Over> over = new ArrayList<>();
        requested.forEach((resource, amount) -> {
            long limit = limits.getOrDefault(resource, UNLIMITED);
            if (limit == UNLIMITED || amount <= 0) {
                return;
            }
            long used = usage.used(h, projectId, resource);
            if (used + amount > limit) {
                over.add(new Over(resource, amount, used, limit));
            }
        });
        return over;
    }

    // Usually the row exists and one statement locks it. On a project's first counted creates, ON CONFLICT
    // DO NOTHING (PostgreSQL, and H2 in its PostgreSQL mode) lets them make the row together: one inserts
    // it, the others wait for that transaction and then find it. A plain INSERT would abort the
    // transaction on PostgreSQL when it loses that race.
    private void lock(Handle h, String projectId) {
        if (lockRow(h, projectId)) {
            return;
        }
        h.createUpdate("INSERT INTO " + lockTable + " (project_id) VALUES (:project) ON CONFLICT DO NOTHING")
                .bind("project", projectId).execute();
        if (!lockRow(h, projectId)) {
            throw new IllegalStateException("quota lock row for " + projectId + " vanished");
        }
    }

    private boolean lockRow(Handle h, String projectId) {
        return h.createQuery("SELECT project_id FROM " + lockTable + " WHERE project_id = :project FOR UPDATE")
                .bind("project", projectId).mapTo(String.class).findOne().isPresent();
    }
}
