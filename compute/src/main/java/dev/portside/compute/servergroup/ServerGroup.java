package dev.portside.compute.servergroup;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A server group: its policy for where its members run, its rule (anti-affinity's
 * max_server_per_host, 2.64), and its members' server ids in the order they joined.
 */
public record ServerGroup(String id, String projectId, String userId, String name, String policy,
                          java.util.OptionalInt maxServerPerHost, List<String> members, Instant createdAt) {
    public static final String AFFINITY = "affinity";
    public static final String ANTI_AFFINITY = "anti-affinity";
    public static final String SOFT_AFFINITY = "soft-affinity";
    public static final String SOFT_ANTI_AFFINITY = "soft-anti-affinity";
    /** The policies from 2.1; the soft ones come with 2.15. */
    public static final Set<String> HARD_POLICIES = Set.of(AFFINITY, ANTI_AFFINITY);
    public static final Set<String> SOFT_POLICIES = Set.of(SOFT_AFFINITY, SOFT_ANTI_AFFINITY);

    public ServerGroup {
        members = List.copyOf(members);
    }

    public Map<String, String> target() {
        return Map.of("project_id", projectId, "user_id", userId);
    }
}
