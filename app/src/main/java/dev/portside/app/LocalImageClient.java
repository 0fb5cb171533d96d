package dev.portside.app;

import dev.portside.common.auth.AuthContext;
import dev.portside.common.http.ApiException;
import dev.portside.compute.image.ImageClient;
import dev.portside.image.Image;
import dev.portside.image.Images;

import java.util.Optional;

/** Compute's image client when both services run in one process: Glance's visibility rules, called directly. */
final class LocalImageClient implements ImageClient {
    private final Images images;

    LocalImageClient(Images images) {
        this.images = images;
    }

    @Override
    public Optional<ImageRef> find(AuthContext caller, String imageId) {
        try {
            Image image = images.find(caller, imageId);
            return Optional.of(new ImageRef(image.id(), image.name().orElse(""), image.status(), image.minDisk(),
                    image.minRam(), image.diskFormat(), Optional.ofNullable(image.properties().get("hypervisor_type")),
                    images.data(caller, imageId)));
        } catch (ApiException e) {
            if (e.status() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }
}
