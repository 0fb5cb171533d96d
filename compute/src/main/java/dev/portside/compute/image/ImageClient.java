package dev.portside.compute.image;

import dev.portside.common.auth.AuthContext;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * How compute reaches the image service, always on behalf of a caller whose visibility and policy
 * the image service applies: the image a server boots from, the images Nova's proxy shows, and the
 * snapshots compute makes. Errors are the image service's (a 404 for an image the caller may not see).
 */
public interface ImageClient {

    Optional<ImageRef> find(AuthContext caller, String imageId);

    /** The images the caller may see, as the image service lists them by default. */
    List<ImageRef> list(AuthContext caller);

    /** A new image with no data yet (queued), owned by the caller's project: the start of a snapshot. */
    ImageRef create(AuthContext caller, NewImage image);

    /** Sets the image's disk_format (container_format bare) and stores {@code data} as its data, which makes it active. */
    void upload(AuthContext caller, String imageId, java.io.InputStream data, String diskFormat);

    /** Replaces the image's custom properties (Nova's image metadata). */
    ImageRef setProperties(AuthContext caller, String imageId, Map<String, String> properties);

    void delete(AuthContext caller, String imageId);

    /** The image service's public URL, where an image's own links point. */
    String endpoint();

    /** What compute asks the image service to create: a private image with these attributes and properties. */
    record NewImage(String name, Optional<String> diskFormat, Optional<String> containerFormat, int minDisk,
                    int minRam, Map<String, String> properties) {
        public NewImage {
            properties = Map.copyOf(properties);
        }
    }

    /**
     * What compute needs of an image: whether it is ready, its minimums and formats, its custom
     * properties (where {@code hypervisor_type}, {@code instance_uuid} and {@code image_type} live),
     * its size and times for the proxy, and where its data is on this host.
     */
    record ImageRef(String id, String name, String status, int minDisk, int minRam, Optional<String> diskFormat,
                    Optional<String> containerFormat, OptionalLong size, Map<String, String> properties,
                    Instant createdAt, Instant updatedAt, Optional<Path> data) {
        public ImageRef {
            properties = Map.copyOf(properties);
        }

        public boolean active() {
            return status.equals("active");
        }

        /** The hypervisor the image asks for, as Nova's ImagePropertiesFilter reads it; absent: any host that boots disks. */
        public Optional<String> hypervisorType() {
            return Optional.ofNullable(properties.get("hypervisor_type"));
        }
    }
}
