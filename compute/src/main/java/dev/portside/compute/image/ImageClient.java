package dev.portside.compute.image;

import dev.portside.common.auth.AuthContext;

import java.nio.file.Path;
import java.util.Optional;

/** How compute reaches the image service: the image a server boots from, if the caller may use it. */
public interface ImageClient {

    Optional<ImageRef> find(AuthContext caller, String imageId);

    /**
     * What compute needs of an image: whether it is ready, its minimums, its disk_format, the
     * hypervisor_type it asks for (Nova's ImagePropertiesFilter reads it), and where its data is on this host.
     */
    record ImageRef(String id, String name, String status, int minDisk, int minRam, Optional<String> diskFormat,
                    Optional<String> hypervisorType, Optional<Path> data) {
        public boolean active() {
            return status.equals("active");
        }
    }
}
