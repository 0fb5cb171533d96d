package dev.portside.network.quota;

import dev.portside.common.http.ApiException;
import dev.portside.common.quota.Quotas;
import org.jdbi.v3.core.Handle;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SequencedMap;

/**
 * Neutron's quotas for the resources Portside serves, with Neutron's defaults
 * (neutron/conf/quota.py: quota_network, quota_subnet, quota_port, quota_security_group,
 * quota_security_group_rule, quota_router, quota_floatingip), usage counted from the network service's own rows.
 */
public final class NetworkQuotas {
    private static final Map<String, String> TABLES = Map.of(
            "network", "network_network",
            "subnet", "network_subnet",
            "port", "network_port",
            "security_group", "network_security_group",
            "security_group_rule", "network_security_group_rule",
            "router", "network_router",
            "floatingip", "network_floatingip");

    private final Quotas quotas;

    public NetworkQuotas() {
        SequencedMap<String, Long> defaults = new LinkedHashMap<>();
        defaults.put("network", 100L);
        defaults.put("subnet", 100L);
        defaults.put("port", 500L);
        defaults.put("security_group", 10L);
        defaults.put("security_group_rule", 100L);
        defaults.put("router", 10L);
        defaults.put("floatingip", 50L);
        this.quotas = new Quotas("network", defaults, NetworkQuotas::used);
    }

    Quotas quotas() {
        return quotas;
    }

    /**
     * Takes the project's quota lock and claims {@code count} more of {@code resource}: first in the
     * creating transaction. Over the limit is Neutron's 409 OverQuota, and nothing is written.
     */
    public void claim(Handle h, String projectId, String resource, int count) {
        List<Quotas.Over> over = quotas.claim(h, projectId, Map.of(resource, (long) count));
        if (!over.isEmpty()) {
            throw new ApiException(409, "OverQuota", "Quota exceeded for resources: ['" + resource + "'].");
        }
    }

    private static long used(Handle h, String projectId, String resource) {
        return h.createQuery("SELECT count(*) FROM " + TABLES.get(resource) + " WHERE project_id = :project")
                .bind("project", projectId).mapTo(Long.class).one();
    }
}
