package dev.portside.identity.limit;

import dev.portside.identity.catalog.Catalog;
import org.jdbi.v3.core.Jdbi;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Keystone's unified limits as a service reads them (oslo.limit's flat model): for a project and a
 * resource of one service, the project's limit if an admin set one, else the registered default.
 * This is how Glance learns its quotas; in-process callers use it in place of oslo.limit's HTTP calls.
 */
public final class Limits {
    private final Jdbi jdbi;
    private final Catalog catalog;

    public Limits(Jdbi jdbi, Catalog catalog) {
        this.jdbi = jdbi;
        this.catalog = catalog;
    }

    /** Every limit registered for {@code serviceType} in this region, as it applies to {@code projectId}. */
    public Map<String, Long> effective(String serviceType, String projectId) {
        Optional<String> service = catalog.services().stream().filter(s -> s.type().equals(serviceType))
                .map(Catalog::id).findFirst();
        Map<String, Long> limits = new HashMap<>();
        if (service.isEmpty()) {
            return limits;
        }
        jdbi.useHandle(h -> {
            h.createQuery("SELECT resource_name, default_limit FROM identity_registered_limit"
                            + " WHERE service_id = :service AND region_id IN ('', :region)")
                    .bind("service", service.get()).bind("region", catalog.region())
                    .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getLong(2)))
                    .forEach(e -> limits.put(e.getKey(), e.getValue()));
            h.createQuery("SELECT resource_name, resource_limit FROM identity_limit"
                            + " WHERE service_id = :service AND project_id = :project AND region_id IN ('', :region)")
                    .bind("service", service.get()).bind("project", projectId).bind("region", catalog.region())
                    .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getLong(2)))
                    .forEach(e -> limits.put(e.getKey(), e.getValue()));
        });
        return limits;
    }
}
