package dev.portside.compute.quota;

import dev.portside.common.http.ApiException;
import dev.portside.common.quota.Quotas;
import org.jdbi.v3.core.Handle;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SequencedMap;
import java.util.stream.Collectors;

/**
 * Nova's quotas with Nova's defaults (nova/conf/quota.py): instances, cores and ram counted from the
 * project's servers, key pairs from the user's own (as Nova counts them), metadata items checked per
 * request, server groups per project and members per group. Over a limit is Nova's 403 with Nova's
 * wording.
 */
public final class ComputeQuotas {
    private final Quotas quotas;

    public ComputeQuotas() {
        SequencedMap<String, Long> defaults = new LinkedHashMap<>();
        defaults.put("instances", 10L);
        defaults.put("cores", 20L);
        defaults.put("ram", 51200L);
        defaults.put("key_pairs", 100L);
        defaults.put("metadata_items", 128L);
        defaults.put("server_groups", 10L);
        defaults.put("server_group_members", 10L);
        this.quotas = new Quotas("compute", defaults, ComputeQuotas::used);
    }

    Quotas quotas() {
        return quotas;
    }

    /**
     * Takes the project's quota lock and answers how many servers of this size, between
     * {@code minCount} and {@code maxCount}, fit: the whole multi-create is one claim. Fewer than
     * {@code minCount} is Nova's TooManyInstances, before anything is created.
     */
    public int claimServers(Handle h, String projectId, int vcpus, int ramMb, int minCount, int maxCount) {
        Map<String, Long> each = Map.of("instances", 1L, "cores", (long) vcpus, "ram", (long) ramMb);
        long fit = quotas.fit(h, projectId, each, maxCount);
        if (fit < minCount) {
            List<Quotas.Over> over = quotas.overs(h, projectId, each, minCount).stream()
                    .sorted(java.util.Comparator.comparing(Quotas.Over::resource)).toList();
            String names = over.stream().map(Quotas.Over::resource).collect(Collectors.joining(", "));
            Quotas.Over first = over.getFirst();
            throw new ApiException(403, "Forbidden", "Quota exceeded for " + names + ": Requested " + first.requested()
                    + ", but already used " + first.used() + " of " + first.limit() + " " + first.resource());
        }
        return (int) fit;
    }

    /** A resize to a larger flavor: the extra cores and RAM must fit the project's quotas (Nova's check on resize). */
    public void claimResize(Handle h, String projectId, int moreVcpus, int moreRamMb) {
        Map<String, Long> more = new java.util.HashMap<>();
        if (moreVcpus > 0) {
            more.put("cores", (long) moreVcpus);
        }
        if (moreRamMb > 0) {
            more.put("ram", (long) moreRamMb);
        }
        if (more.isEmpty()) {
            return;
        }
        List<Quotas.Over> over = quotas.claim(h, projectId, more);
        if (!over.isEmpty()) {
            Quotas.Over first = over.getFirst();
            throw new ApiException(403, "Forbidden", "Quota exceeded for " + first.resource() + ": Requested "
                    + first.requested() + ", but already used " + first.used() + " of " + first.limit() + " "
                    + first.resource());
        }
    }

    /** One more key pair for {@code userId}, limited by the project's {@code key_pairs}. */
    public void claimKeypair(Handle h, String projectId, String userId) {
        Quotas.Usage ofUser = (handle, project, resource) -> handle
                .createQuery("SELECT count(*) FROM compute_keypair WHERE user_id = :user").bind("user", userId)
                .mapTo(Long.class).one();
        if (!quotas.claim(h, projectId, Map.of("key_pairs", 1L), ofUser).isEmpty()) {
            throw new ApiException(403, "Forbidden", "Quota exceeded, too many key pairs.");
        }
    }

    /** One more server group for the project, limited by its {@code server_groups}. */
    public void claimServerGroup(Handle h, String projectId, dev.portside.compute.servergroup.ServerGroupStore groups) {
        Quotas.Usage ofProject = (handle, project, resource) -> groups.count(handle, project);
        if (!quotas.claim(h, projectId, Map.of("server_groups", 1L), ofProject).isEmpty()) {
            throw new ApiException(403, "Forbidden", "Quota exceeded, too many server groups.");
        }
    }

    /** {@code count} more members for a group, limited by the project's {@code server_group_members}. */
    public void claimGroupMembers(Handle h, String projectId, String groupId, int count,
                                  dev.portside.compute.servergroup.ServerGroupStore groups) {
        Quotas.Usage ofGroup = (handle, project, resource) -> groups.memberCount(handle, groupId);
        if (!quotas.claim(h, projectId, Map.of("server_group_members", (long) count), ofGroup).isEmpty()) {
            throw new ApiException(403, "Forbidden", "Quota exceeded, too many servers in group");
        }
    }

    /** A server's metadata may hold at most the project's {@code metadata_items}. */
    public void checkMetadata(Handle h, String projectId, int items) {
        long limit = quotas.limits(h, projectId).get("metadata_items");
        if (limit != Quotas.UNLIMITED && items > limit) {
            throw new ApiException(403, "Forbidden", "Quota exceeded for metadata_items: Requested " + items
                    + ", but already used 0 of " + limit + " metadata_items");
        }
    }

    private static long used(Handle h, String projectId, String resource) {
        String sum = switch (resource) {
            case "instances" -> "count(*)";
            case "cores" -> "coalesce(sum(vcpus), 0)";
            case "ram" -> "coalesce(sum(memory_mb), 0)";
            default -> null;
        };
        if (resource.equals("server_groups")) {
            return h.createQuery("SELECT count(*) FROM compute_server_group WHERE project_id = :project")
                    .bind("project", projectId).mapTo(Long.class).one();
        }
        if (sum == null) {
            return 0;
        }
        // A soft-deleted server holds no quota (Nova's restore claims it again); one being restored does.
        return h.createQuery("SELECT " + sum + " FROM compute_server WHERE project_id = :project"
                        + " AND NOT (vm_state = 'soft-delete' AND task_state IS NULL)")
                .bind("project", projectId).mapTo(Long.class).one();
    }
}
