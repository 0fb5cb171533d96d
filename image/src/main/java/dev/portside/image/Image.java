package dev.portside.image;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A Glance image: what the API shows, the custom properties users set on it, and what its data
 * hashes to once uploaded ({@code size}, {@code checksum}, {@code os_hash_value} are empty while
 * it is queued).
 */
public record Image(String id, String owner, Optional<String> name, String status, String visibility,
                    boolean isProtected, boolean osHidden, Optional<String> diskFormat,
                    Optional<String> containerFormat, int minDisk, int minRam, OptionalLong size,
                    Optional<String> checksum, Optional<String> osHashAlgo, Optional<String> osHashValue,
                    Map<String, String> properties, List<String> tags, Instant createdAt, Instant updatedAt) {
    public static final String QUEUED = "queued";
    public static final String SAVING = "saving";
    public static final String ACTIVE = "active";

    public Image {
        properties = Map.copyOf(properties);
        tags = List.copyOf(tags);
    }

    /** What policy rules see: the owner and the visibility. */
    public Map<String, String> target() {
        return Map.of("owner", owner, "project_id", owner, "visibility", visibility);
    }

    public Image with(Optional<String> newName, String newVisibility, boolean newProtected, boolean newHidden,
                      int newMinDisk, int newMinRam, Optional<String> newDiskFormat, Optional<String> newContainerFormat,
                      Map<String, String> newProperties, List<String> newTags, Instant now) {
        return new Image(id, owner, newName, status, newVisibility, newProtected, newHidden, newDiskFormat,
                newContainerFormat, newMinDisk, newMinRam, size, checksum, osHashAlgo, osHashValue, newProperties,
                newTags, createdAt, now);
    }
}
