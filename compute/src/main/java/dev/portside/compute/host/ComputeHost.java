package dev.portside.compute.host;

import java.time.Instant;
import java.util.Optional;

/** A compute host (Nova's compute service and its hypervisor in one): capacity and whether it takes new servers. */
public record ComputeHost(int id, String host, String hypervisorType, int vcpus, int memoryMb, int localGb,
                          boolean enabled, Optional<String> disabledReason, Instant updatedAt) {
}
