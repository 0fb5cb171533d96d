package dev.portside.app;

import dev.portside.compute.virt.HostResources;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * This machine as a compute host for a real driver: its CPUs, memory, and the data dir's disk. With
 * both kinds of instance, each host reports the whole machine (as two compute services on one box do).
 */
final class MachineResources {
    private static final long MIB = 1024 * 1024;

    private MachineResources() {
    }

    static HostResources of(String hostname, String hypervisorType, Path dataDir) {
        try {
            long memoryKb = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal:"))
                    .map(l -> Long.parseLong(l.replaceAll("[^0-9]", ""))).findFirst().orElse(0L);
            long diskGb = Files.getFileStore(dataDir).getTotalSpace() / (1024 * MIB);
            return new HostResources(hostname, hypervisorType, Runtime.getRuntime().availableProcessors(),
                    (int) (memoryKb * 1024 / MIB), (int) Math.min(Integer.MAX_VALUE, diskGb));
        } catch (IOException e) {
            throw new StartupException("cannot read this machine's resources: " + e.getMessage(), e);
        }
    }
}
