package dev.portside.compute.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portside.common.auth.AuthContext;
import dev.portside.common.http.Requests;
import dev.portside.common.json.Fields;
import dev.portside.common.json.Json;
import dev.portside.compute.MetadataItems;
import dev.portside.compute.Microversion;
import dev.portside.compute.NovaErrors;
import dev.portside.compute.image.ImageClient;
import dev.portside.compute.quota.ComputeQuotas;
import io.javalin.http.Context;
import org.jdbi.v3.core.Jdbi;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code createImage} and {@code createBackup} actions: a snapshot of the server as a new image
 * in the image service. The server is claimed first (from ACTIVE, SHUTOFF, PAUSED or SUSPENDED, with
 * no task running), then the image is made queued, inheriting the base image's properties as Nova's
 * snapshots do; the copy and upload run behind the API ({@link ComputeManager#snapshot}).
 */
final class ServerImages {
    private static final Set<String> SNAPSHOTTABLE = Set.of(Server.ACTIVE, Server.STOPPED, Server.PAUSED,
            Server.SUSPENDED);
    // Properties a snapshot does not take from its base image (Nova's non-inheritable ones and its defaults).
    private static final Set<String> NOT_INHERITED = Set.of("img_signature", "img_signature_hash_method",
            "img_signature_key_type", "img_signature_certificate_uuid", "signature_verified", "cache_in_nova",
            "bittorrent", "backup_type");
    private static final Microversion IMAGE_ID_IN_BODY = new Microversion(2, 45);
    private static final Microversion LAST_METADATA_QUOTA = new Microversion(2, 38);

    private final Jdbi jdbi;
    private final ServerStore servers;
    private final ServerApi serverApi;
    private final ImageClient images;
    private final ComputeManager manager;
    private final ComputeQuotas quotas;

    ServerImages(Jdbi jdbi, ServerStore servers, ServerApi serverApi, ImageClient images, ComputeManager manager,
                 ComputeQuotas quotas) {
        this.jdbi = jdbi;
        this.servers = servers;
        this.serverApi = serverApi;
        this.images = images;
        this.manager = manager;
        this.quotas = quotas;
    }

    /** {"createImage": {"name": N, "metadata": {...}}}. */
    void createImage(Context ctx, AuthContext caller, String id, ObjectNode body) {
        Fields request = Fields.wrapped(body, "createImage", Set.of("name", "metadata"));
        String name = name(request);
        Map<String, String> metadata = metadata(request);
        Server server = serverApi.visible(caller, id, "os_compute_api:servers:create_image");
        checkQuota(ctx, server, metadata);
        String imageId = start(caller, server, "createImage", "image_snapshot", "snapshot", name, metadata,
                Optional.empty());
        respond(ctx, imageId, true);
    }

    /** {"createBackup": {"name": N, "backup_type": T, "rotation": R, "metadata": {...}}}. */
    void createBackup(Context ctx, AuthContext caller, String id, ObjectNode body) {
        Fields request = Fields.wrapped(body, "createBackup", Set.of("name", "backup_type", "rotation", "metadata"));
        String name = name(request);
        String backupType = request.requiredString("backup_type", 255);
        int rotation = rotation(request.node().get("rotation"));
        Map<String, String> metadata = metadata(request);
        Server server = serverApi.visible(caller, id, "os_compute_api:os-create-backup");
        checkQuota(ctx, server, metadata);
        Map<String, String> properties = new LinkedHashMap<>(metadata);
        properties.put("backup_type", backupType);
        String imageId = start(caller, server, "createBackup", "image_backup", "backup", name, properties,
                Optional.of(new ComputeManager.Rotation(backupType, rotation)));
        respond(ctx, imageId, rotation > 0);
    }

    private String start(AuthContext caller, Server server, String method, String taskState, String imageType,
                         String name, Map<String, String> extra, Optional<ComputeManager.Rotation> rotation) {
        String imageId = claim(caller, server, method, taskState, imageType, name, extra);
        manager.snapshot(server.id(), imageId, rotation, caller);
        return imageId;
    }

    /**
     * Claims the server for a task that snapshots it (from ACTIVE, SHUTOFF, PAUSED or SUSPENDED, no
     * task running) and makes the queued image the snapshot goes into; the task is released if the
     * image service refuses the image. Returns the image's id.
     */
    String claim(AuthContext caller, Server server, String method, String taskState, String imageType, String name,
                 Map<String, String> extra) {
        if (server.host().isEmpty()) {
            throw NovaErrors.invalidState(method, server.id(), "vm_state", server.vmState());
        }
        if (!jdbi.inTransaction(h -> servers.startTask(h, server.id(), SNAPSHOTTABLE, taskState, serverApi.now()))) {
            throw serverApi.notStartable(method, server.id());
        }
        try {
            return images.create(caller, newImage(caller, server, name, imageType, extra)).id();
        } catch (RuntimeException e) {
            jdbi.useTransaction(h -> servers.setTask(h, server.id(), null, serverApi.now()));
            throw e;
        }
    }

    // Nova's initialize_instance_snapshot_metadata: the base image's minimums and properties, the
    // server's own marks over them, the request's metadata over all; a snapshot's formats are the
    // copy's, set when it is uploaded, a backup keeps its base's.
    private ImageClient.NewImage newImage(AuthContext caller, Server server, String name, String imageType,
                                          Map<String, String> extra) {
        Optional<ImageClient.ImageRef> base = images.find(caller, server.imageId());
        Map<String, String> properties = new LinkedHashMap<>();
        base.ifPresent(b -> b.properties().forEach((key, value) -> {
            if (!NOT_INHERITED.contains(key) && !key.startsWith("img_signature")) {
                properties.put(key, value);
            }
        }));
        properties.put("instance_uuid", server.id());
        properties.put("user_id", caller.userId());
        properties.put("image_type", imageType);
        properties.put("base_image_ref", server.imageId());
        if (!caller.projectId().equals(Optional.of(server.projectId()))) {
            properties.put("instance_owner", server.projectId());
        }
        properties.putAll(extra);
        boolean backup = imageType.equals("backup");
        return new ImageClient.NewImage(name,
                backup ? base.flatMap(ImageClient.ImageRef::diskFormat) : Optional.empty(),
                backup ? base.flatMap(ImageClient.ImageRef::containerFormat) : Optional.empty(),
                Math.max(server.rootGb(), base.map(ImageClient.ImageRef::minDisk).orElse(0)),
                base.map(ImageClient.ImageRef::minRam).orElse(0), properties);
    }

    // Before 2.39 the request's metadata counts against metadata_items, as the image proxy's does.
    private void checkQuota(Context ctx, Server server, Map<String, String> metadata) {
        if (Microversion.of(ctx).compareTo(LAST_METADATA_QUOTA) <= 0) {
            jdbi.useHandle(h -> quotas.checkMetadata(h, server.projectId(), metadata.size()));
        }
    }

    // From 2.45 the new image's id is in the body; before, its URL is the Location (a backup kept by no rotation has none).
    private void respond(Context ctx, String imageId, boolean location) {
        if (Microversion.of(ctx).compareTo(IMAGE_ID_IN_BODY) >= 0) {
            Requests.respond(ctx, 202, Json.object().put("image_id", imageId));
            return;
        }
        if (location) {
            ctx.header("Location", images.endpoint() + "/images/" + imageId);
        }
        ctx.status(202);
    }

    private static String name(Fields request) {
        String name = request.requiredString("name", 255);
        if (name.isBlank() || !name.equals(name.strip())) {
            throw NovaErrors.badRequest("Invalid input for field/attribute name. Value: " + name
                    + ". the name must not be empty or begin or end with whitespace");
        }
        return name;
    }

    private static Map<String, String> metadata(Fields request) {
        return request.has("metadata") ? MetadataItems.of("metadata", request.node().get("metadata")) : Map.of();
    }

    // Nova's non_negative_integer: an integer or a string of digits, at least 0.
    private static int rotation(JsonNode value) {
        if (value == null) {
            throw NovaErrors.badRequest("Invalid input for field/attribute createBackup. 'rotation' is a required property");
        }
        String text = value.isIntegralNumber() ? value.asText() : value.isTextual() ? value.asText().strip() : "";
        if (!text.matches("\\d{1,9}")) {
            throw NovaErrors.badRequest("Invalid input for field/attribute rotation. Value: " + value
                    + ". " + value + " is not a non-negative integer");
        }
        return Integer.parseInt(text);
    }
}
