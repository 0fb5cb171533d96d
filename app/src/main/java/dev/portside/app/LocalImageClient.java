package dev.portside.app;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portside.common.auth.AuthContext;
import dev.portside.common.http.ApiException;
import dev.portside.common.json.Json;
import dev.portside.compute.image.ImageClient;
import dev.portside.image.Image;
import dev.portside.image.Images;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Compute's image client when both services run in one process: Glance's operations and rules, called directly. */
final class LocalImageClient implements ImageClient {
    private final Images images;
    private final String endpoint;

    LocalImageClient(Images images, String endpoint) {
        this.images = images;
        this.endpoint = endpoint;
    }

    @Override
    public Optional<ImageRef> find(AuthContext caller, String imageId) {
        try {
            return Optional.of(ref(caller, images.find(caller, imageId)));
        } catch (ApiException e) {
            if (e.status() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public List<ImageRef> list(AuthContext caller) {
        return images.list(caller, Optional.empty()).stream().map(i -> ref(caller, i)).toList();
    }

    @Override
    public ImageRef create(AuthContext caller, NewImage image) {
        ObjectNode body = Json.object().put("name", image.name()).put("visibility", "private")
                .put("min_disk", image.minDisk()).put("min_ram", image.minRam());
        image.diskFormat().ifPresent(f -> body.put("disk_format", f));
        image.containerFormat().ifPresent(f -> body.put("container_format", f));
        image.properties().forEach(body::put);
        return ref(caller, images.create(caller, body));
    }

    @Override
    public void upload(AuthContext caller, String imageId, InputStream data, String diskFormat) {
        // Glance takes data only once both formats are set.
        ArrayNode formats = Json.array();
        formats.addObject().put("op", "add").put("path", "/disk_format").put("value", diskFormat);
        formats.addObject().put("op", "add").put("path", "/container_format").put("value", "bare");
        images.patch(caller, imageId, formats);
        images.upload(caller, imageId, data);
    }

    @Override
    public ImageRef setProperties(AuthContext caller, String imageId, Map<String, String> properties) {
        return ref(caller, images.setProperties(caller, imageId, properties));
    }

    @Override
    public void delete(AuthContext caller, String imageId) {
        images.delete(caller, imageId);
    }

    @Override
    public String endpoint() {
        return endpoint;
    }

    private ImageRef ref(AuthContext caller, Image image) {
        return new ImageRef(image.id(), image.name().orElse(""), image.status(), image.minDisk(), image.minRam(),
                image.diskFormat(), image.containerFormat(), image.size(), image.properties(), image.createdAt(),
                image.updatedAt(), data(caller, image));
    }

    // Only an active image has data, and only a caller allowed to download it learns where.
    private Optional<Path> data(AuthContext caller, Image image) {
        if (!image.status().equals(Image.ACTIVE)) {
            return Optional.empty();
        }
        try {
            return images.data(caller, image.id());
        } catch (ApiException e) {
            if (e.status() == 403) {
                return Optional.empty();
            }
            throw e;
        }
    }
}
