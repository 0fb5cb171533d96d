package dev.portside.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portside.common.auth.AuthContext;
import dev.portside.common.http.ApiException;
import dev.portside.common.policy.Policy;
import org.jdbi.v3.core.Jdbi;

import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * What can be done with images, on behalf of a caller: the operations behind the HTTP API, also
 * used in-process by compute. Each checks visibility (an image the caller may not see is a 404)
 * and Glance's policy.
 */
public final class Images {
    static final Set<String> DISK_FORMATS = Set.of("ami", "ari", "aki", "vhd", "vhdx", "vmdk", "raw", "qcow2", "vdi",
            "iso", "ploop");
    static final Set<String> CONTAINER_FORMATS = Set.of("ami", "ari", "aki", "bare", "ovf", "ova", "docker",
            "compressed");
    static final Set<String> VISIBILITIES = Set.of("public", "private", "shared", "community");
    // Attributes Glance computes or owns; a request that sets one is refused with 403, as Glance does.
    static final Set<String> READ_ONLY = Set.of("status", "checksum", "os_hash_algo", "os_hash_value", "size",
            "virtual_size", "created_at", "updated_at", "file", "self", "schema", "direct_url", "owner", "locations");
    private static final Pattern UUID_TEXT = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private final Jdbi jdbi;
    private final ImageStore store;
    private final ImageFiles files;
    private final Policy policy;
    private final Clock clock;

    private final ImageQuotas quotas;

    Images(Jdbi jdbi, ImageStore store, ImageFiles files, Policy policy, Clock clock, ImageQuotas quotas) {
        this.quotas = quotas;
        this.jdbi = jdbi;
        this.store = store;
        this.files = files;
        this.policy = policy;
        this.clock = clock;
    }

    /** POST /v2/images: a queued image with no data yet. */
    public Image create(AuthContext caller, ObjectNode body) {
        String owner = caller.projectId().orElseThrow(() -> ApiException.forbidden("Creating an image needs a project-scoped token."));
        policy.enforce("add_image", caller, Map.of("owner", owner, "project_id", owner));
        Map<String, JsonNode> attributes = new LinkedHashMap<>();
        body.properties().forEach(e -> attributes.put(e.getKey(), e.getValue()));
        for (String name : attributes.keySet()) {
            if (READ_ONLY.contains(name)) {
                throw GlanceErrors.readOnly(name);
            }
        }
        String id = Optional.ofNullable(attributes.remove("id")).map(v -> {
            if (!v.isTextual() || !UUID_TEXT.matcher(v.asText()).matches()) {
                throw GlanceErrors.invalid("Invalid id: " + v + " is not a valid UUID.");
            }
            return v.asText().toLowerCase(java.util.Locale.ROOT);
        }).orElseGet(() -> UUID.randomUUID().toString());
        String visibility = Optional.ofNullable(attributes.remove("visibility")).map(v -> visibility(caller, v, owner))
                .orElse("shared");
        Instant now = now();
        List<String> tags = tags(attributes.remove("tags"));
        ImageQuotas.checkTags(tags.size());
        Image image = new Image(id, owner, nullableText("name", attributes.remove("name")), Image.QUEUED, visibility,
                bool("protected", attributes.remove("protected"), false), bool("os_hidden", attributes.remove("os_hidden"), false),
                format("disk_format", attributes.remove("disk_format"), DISK_FORMATS),
                format("container_format", attributes.remove("container_format"), CONTAINER_FORMATS),
                count("min_disk", attributes.remove("min_disk")), count("min_ram", attributes.remove("min_ram")),
                OptionalLong.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                properties(attributes), tags, now, now);
        ImageQuotas.checkProperties(image.properties().size());
        try {
            jdbi.useTransaction(h -> {
                quotas.claimImage(h, owner);
                if (store.find(h, id).isPresent()) {
                    throw GlanceErrors.conflict("Image with identifier " + id + " already exists!");
                }
                store.insert(h, image);
            });
        } catch (org.jdbi.v3.core.statement.UnableToExecuteStatementException e) {
            if (dev.portside.common.db.Constraints.isUniqueViolation(e)) {
                throw GlanceErrors.conflict("Image with identifier " + id + " already exists!");
            }
            throw e;
        }
        return image;
    }

    /** The image, if {@code caller} may see it; otherwise 404, as Glance does not reveal others' private images. */
    public Image find(AuthContext caller, String id) {
        return jdbi.withHandle(h -> store.find(h, id)).filter(i -> policy.allows("get_image", caller, i.target()))
                .orElseThrow(() -> GlanceErrors.notFound(id));
    }

    /** Images the caller may see; community images only when asked for by visibility, as Glance lists. */
    public List<Image> list(AuthContext caller, Optional<String> visibility) {
        policy.enforce("get_images", caller, Map.of());
        return jdbi.withHandle(store::all).stream()
                .filter(i -> policy.allows("get_image", caller, i.target()))
                .filter(i -> visibility.map(v -> v.equals(i.visibility())).orElse(!i.visibility().equals("community")))
                .toList();
    }

    /** PUT /v2/images/{id}/file: streams the data in; the image is active once it is all stored. */
    public void upload(AuthContext caller, String id, InputStream data) {
        Image image = find(caller, id);
        policy.enforce("upload_image", caller, image.target());
        if (!jdbi.inTransaction(h -> {
            quotas.claimData(h, image.owner(), 0);
            return store.changeStatus(h, id, Image.QUEUED, Image.SAVING, now());
        })) {
            throw GlanceErrors.conflict("Image status transition from " + image.status() + " to saving is not allowed");
        }
        ImageFiles.Stored stored;
        try {
            stored = files.receive(id, data);
        } catch (RuntimeException e) {
            jdbi.useTransaction(h -> store.changeStatus(h, id, Image.SAVING, Image.QUEUED, now()));
            throw e;
        }
        boolean activated;
        try {
            // The data is counted and the image activated in one transaction under the project's quota lock,
            // so two uploads finishing together cannot both pass the size limit.
            activated = jdbi.inTransaction(h -> {
                quotas.claimData(h, image.owner(), stored.size());
                files.keep(id, stored);
                return store.activate(h, id, stored, now());
            });
        } catch (RuntimeException e) {
            files.discard(stored.temporary());
            jdbi.useTransaction(h -> store.changeStatus(h, id, Image.SAVING, Image.QUEUED, now()));
            throw e;
        }
        if (!activated) {
            // Deleted while it was uploading: the data has no image any more.
            files.discard(files.path(id));
            throw GlanceErrors.conflict("Image " + id + " was deleted during the upload.");
        }
    }

    /**
     * At start-up, before serving: an upload a crash interrupted left its image {@code saving} and a
     * partial file. As Glance's own clean-up does, the image goes back to {@code queued} with the
     * partial data removed, so the client can upload again. Returns how many were requeued.
     */
    public int recover() {
        List<String> requeued = jdbi.inTransaction(h -> store.requeueSaving(h, now()));
        files.discardPartials();
        // A crash between moving the data into place and activating leaves a complete file of an image
        // that is not active: it is not the image's data until an upload says so.
        requeued.forEach(id -> files.discard(files.path(id)));
        return requeued.size();
    }

    /** The stored data of an active image the caller may download; empty for an image with no data. */
    public Optional<Path> data(AuthContext caller, String id) {
        Image image = find(caller, id);
        policy.enforce("download_image", caller, image.target());
        return image.status().equals(Image.ACTIVE) ? Optional.of(files.path(id)) : Optional.empty();
    }

    /** PATCH with a JSON-patch document (add, replace, remove) over attributes and custom properties. */
    public Image patch(AuthContext caller, String id, ArrayNode operations) {
        return jdbi.inTransaction(h -> {
            Image image = store.find(h, id).filter(i -> policy.allows("get_image", caller, i.target()))
                    .orElseThrow(() -> GlanceErrors.notFound(id));
            policy.enforce("modify_image", caller, image.target());
            ImagePatch patch = ImagePatch.apply(image, operations, v -> visibility(caller, v, image.owner()));
            ImageQuotas.checkTags(patch.tags().size());
            ImageQuotas.checkProperties(patch.properties().size());
            Image changed = image.with(patch.name(), patch.visibility(), patch.isProtected(), patch.osHidden(),
                    patch.minDisk(), patch.minRam(), patch.diskFormat(), patch.containerFormat(), patch.properties(),
                    patch.tags(), now());
            store.update(h, changed);
            return changed;
        });
    }

    /**
     * Replaces the image's custom properties, under the same policy and limits as a PATCH: what
     * Nova's image metadata proxy does with {@code purge_props}.
     */
    public Image setProperties(AuthContext caller, String id, Map<String, String> properties) {
        properties.keySet().forEach(Images::property);
        ImageQuotas.checkProperties(properties.size());
        return jdbi.inTransaction(h -> {
            Image image = store.find(h, id).filter(i -> policy.allows("get_image", caller, i.target()))
                    .orElseThrow(() -> GlanceErrors.notFound(id));
            policy.enforce("modify_image", caller, image.target());
            Image changed = image.with(image.name(), image.visibility(), image.isProtected(), image.osHidden(),
                    image.minDisk(), image.minRam(), image.diskFormat(), image.containerFormat(), properties,
                    image.tags(), now());
            store.update(h, changed);
            return changed;
        });
    }

    public void delete(AuthContext caller, String id) {
        jdbi.useTransaction(h -> {
            Image image = store.find(h, id).filter(i -> policy.allows("get_image", caller, i.target()))
                    .orElseThrow(() -> GlanceErrors.notFound(id));
            policy.enforce("delete_image", caller, image.target());
            if (image.isProtected()) {
                throw ApiException.forbidden("Image " + id + " is protected and cannot be deleted.");
            }
            store.delete(h, id);
        });
        files.discard(files.path(id));
    }

    /**
     * Stores an image owned by {@code owner} with {@code data}, active at once: how Portside ships
     * the default image a new user boots. Does nothing when an image of that name exists.
     */
    public void bootstrap(String owner, String name, String visibility, Map<String, String> properties, byte[] data) {
        boolean exists = jdbi.withHandle(h -> store.all(h).stream().anyMatch(i -> i.name().equals(Optional.of(name))));
        if (exists) {
            return;
        }
        Instant now = now();
        String id = UUID.randomUUID().toString();
        Image image = new Image(id, owner, Optional.of(name), Image.SAVING, visibility, false, false, Optional.of("raw"),
                Optional.of("bare"), 0, 0, OptionalLong.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                properties, List.of(), now, now);
        jdbi.useTransaction(h -> store.insert(h, image));
        ImageFiles.Stored stored = files.receive(id, new java.io.ByteArrayInputStream(data));
        files.keep(id, stored);
        jdbi.useTransaction(h -> store.activate(h, id, stored, now));
    }

    private String visibility(AuthContext caller, JsonNode value, String owner) {
        if (!value.isTextual() || !VISIBILITIES.contains(value.asText())) {
            throw GlanceErrors.invalid("Invalid visibility value: " + value + "; use one of " + new java.util.TreeSet<>(VISIBILITIES));
        }
        String visibility = value.asText();
        Map<String, String> target = Map.of("owner", owner, "project_id", owner, "visibility", visibility);
        if (visibility.equals("public")) {
            policy.enforce("publicize_image", caller, target);
        } else if (visibility.equals("community")) {
            policy.enforce("communitize_image", caller, target);
        }
        return visibility;
    }

    static Optional<String> nullableText(String name, JsonNode value) {
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual() || value.asText().length() > 255) {
            throw GlanceErrors.invalid("Invalid value for '" + name + "': " + value + " is not a string of at most 255 characters.");
        }
        if (name.equals("name") && dev.portside.common.json.Json.hasControlCharacter(value.asText())) {
            throw GlanceErrors.invalid("Invalid value for 'name': it must not contain control characters.");
        }
        return Optional.of(value.asText());
    }

    static boolean bool(String name, JsonNode value, boolean otherwise) {
        if (value == null) {
            return otherwise;
        }
        if (!value.isBoolean()) {
            throw GlanceErrors.invalid("Invalid value for '" + name + "': " + value + " is not of type 'boolean'.");
        }
        return value.asBoolean();
    }

    static int count(String name, JsonNode value) {
        if (value == null) {
            return 0;
        }
        if (!value.isInt() || value.asInt() < 0) {
            throw GlanceErrors.invalid("Invalid value for '" + name + "': " + value + " is not a non-negative integer.");
        }
        return value.asInt();
    }

    static Optional<String> format(String name, JsonNode value, Set<String> allowed) {
        Optional<String> format = nullableText(name, value);
        format.ifPresent(f -> {
            if (!allowed.contains(f)) {
                throw GlanceErrors.invalid("Invalid value '" + f + "' for '" + name + "': use one of "
                        + new java.util.TreeSet<>(allowed));
            }
        });
        return format;
    }

    static List<String> tags(JsonNode value) {
        if (value == null) {
            return List.of();
        }
        if (!value.isArray()) {
            throw GlanceErrors.invalid("Invalid value for 'tags': " + value + " is not of type 'array'.");
        }
        List<String> tags = new ArrayList<>();
        value.forEach(tag -> {
            if (!tag.isTextual() || tag.asText().isEmpty() || tag.asText().length() > 255) {
                throw GlanceErrors.invalid("Invalid tag: " + tag + " is not a string of 1 to 255 characters.");
            }
            if (!tags.contains(tag.asText())) {
                tags.add(tag.asText());
            }
        });
        return tags;
    }

    // What remains after the known attributes are taken: custom properties, which Glance's schema types as strings.
    static Map<String, String> properties(Map<String, JsonNode> rest) {
        Map<String, String> properties = new LinkedHashMap<>();
        rest.forEach((name, value) -> {
            if (name.equals("tags")) {
                return;
            }
            properties.put(property(name), propertyValue(name, value));
        });
        return properties;
    }

    static String property(String name) {
        if (name.isEmpty() || name.length() > 255) {
            throw GlanceErrors.invalid("Invalid property name '" + name + "'.");
        }
        if (READ_ONLY.contains(name)) {
            throw GlanceErrors.readOnly(name);
        }
        return name;
    }

    static String propertyValue(String name, JsonNode value) {
        if (value == null || !value.isTextual()) {
            throw GlanceErrors.invalid("Invalid value for property '" + name + "': " + value + " is not of type 'string'.");
        }
        return value.asText();
    }

    // Kept to the millisecond, shown to the second: images made within one second (a backup rotation's)
    // still sort in the order they were made.
    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}
