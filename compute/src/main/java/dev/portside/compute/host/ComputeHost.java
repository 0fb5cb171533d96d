package dev.portside.compute.host;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * A compute host (Nova's compute service and its hypervisor in one): capacity, whether it takes new
 * servers (enabled, and not forced down), whether it is reporting (a host in its own process that
 * has not reported within service_down_time is not), and the address its tunnels use.
 */
public record ComputeHost(int id, String host, String hypervisorType, int vcpus, int memoryMb, int localGb,
                          boolean enabled, Optional<String> disabledReason, boolean forcedDown, boolean reporting,
                          Optional<String> hostIp, Instant updatedAt) {

    /** Whether the scheduler may place a server here (a forced host skips the enabled check, not this). */
    public boolean up() {
        return !forcedDown && reporting;
    }

    /** The compute service's id from 2.53: a UUID, stable for the host's name (a host is one service here). */
    public String serviceUuid() {
        return UUID.nameUUIDFromBytes(("portside-compute-service:" + host).getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** The hypervisor's (Nova's compute node's) id from 2.53. */
    public String nodeUuid() {
        return UUID.nameUUIDFromBytes(("portside-compute-node:" + host).getBytes(StandardCharsets.UTF_8)).toString();
    }
}
