package dev.portside.compute.virt;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * What a driver needs to make an instance: its ids and names (the hostname as Nova derives it from
 * the display name), its flavor's resources, the image data and its disk_format, and what cloud-init
 * would read (key, user data, metadata).
 */
public record InstanceSpec(String serverId, String instanceName, String displayName, String hostname, String projectId,
                           int vcpus, int memoryMb, int rootGb, String imageId, Optional<Path> imageData,
                           Optional<String> diskFormat,
                           Optional<String> publicKey, Optional<String> userData, Map<String, String> metadata) {
    public InstanceSpec {
        metadata = Map.copyOf(metadata);
    }
}
