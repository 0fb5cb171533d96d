package dev.portside.image;

import org.jdbi.v3.core.Handle;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/** Images, their properties and tags, in the database. */
final class ImageStore {

    Optional<Image> find(Handle h, String id) {
        return list(h, "WHERE id = :id", Map.of("id", id)).stream().findFirst();
    }

    /** Every image; {@code Images} decides what a caller sees. */
    List<Image> all(Handle h) {
        return list(h, "", Map.of());
    }

    void insert(Handle h, Image image) {
        h.createUpdate("INSERT INTO image_image (id, owner, name, status, visibility, protected, os_hidden, disk_format,"
                        + " container_format, min_disk, min_ram, created_at, updated_at) VALUES (:id, :owner, :name,"
                        + " :status, :visibility, :protected, :hidden, :disk, :container, :minDisk, :minRam, :created,"
                        + " :updated)")
                .bind("id", image.id()).bind("owner", image.owner()).bind("name", image.name().orElse(null))
                .bind("status", image.status()).bind("visibility", image.visibility())
                .bind("protected", image.isProtected()).bind("hidden", image.osHidden())
                .bind("disk", image.diskFormat().orElse(null)).bind("container", image.containerFormat().orElse(null))
                .bind("minDisk", image.minDisk()).bind("minRam", image.minRam())
                .bind("created", Timestamp.from(image.createdAt())).bind("updated", Timestamp.from(image.updatedAt()))
                .execute();
        writeDetails(h, image);
    }

    void update(Handle h, Image image) {
        h.createUpdate("UPDATE image_image SET name = :name, visibility = :visibility, protected = :protected,"
                        + " os_hidden = :hidden, disk_format = :disk, container_format = :container, min_disk = :minDisk,"
                        + " min_ram = :minRam, updated_at = :updated WHERE id = :id")
                .bind("id", image.id()).bind("name", image.name().orElse(null)).bind("visibility", image.visibility())
                .bind("protected", image.isProtected()).bind("hidden", image.osHidden())
                .bind("disk", image.diskFormat().orElse(null)).bind("container", image.containerFormat().orElse(null))
                .bind("minDisk", image.minDisk()).bind("minRam", image.minRam())
                .bind("updated", Timestamp.from(image.updatedAt()))
                .execute();
        h.createUpdate("DELETE FROM image_property WHERE image_id = :id").bind("id", image.id()).execute();
        h.createUpdate("DELETE FROM image_tag WHERE image_id = :id").bind("id", image.id()).execute();
        writeDetails(h, image);
    }

    /** Moves the image from one status to another; false when it was not in {@code from} (a concurrent upload won). */
    boolean changeStatus(Handle h, String id, String from, String to, java.time.Instant now) {
        return h.createUpdate("UPDATE image_image SET status = :to, updated_at = :now WHERE id = :id AND status = :from")
                .bind("id", id).bind("from", from).bind("to", to).bind("now", Timestamp.from(now)).execute() == 1;
    }

    /** Every image left {@code saving} goes back to {@code queued}; returns their ids. */
    List<String> requeueSaving(Handle h, java.time.Instant now) {
        List<String> ids = h.createQuery("SELECT id FROM image_image WHERE status = 'saving' FOR UPDATE")
                .mapTo(String.class).list();
        h.createUpdate("UPDATE image_image SET status = 'queued', updated_at = :now WHERE status = 'saving'")
                .bind("now", Timestamp.from(now)).execute();
        return ids;
    }

    /** Records the uploaded data and makes the image active, if it is still saving. */
    boolean activate(Handle h, String id, ImageFiles.Stored data, java.time.Instant now) {
        return h.createUpdate("UPDATE image_image SET status = 'active', size = :size, checksum = :checksum,"
                        + " os_hash_algo = :algo, os_hash_value = :hash, updated_at = :now"
                        + " WHERE id = :id AND status = 'saving'")
                .bind("id", id).bind("size", data.size()).bind("checksum", data.md5()).bind("algo", ImageFiles.HASH_ALGO)
                .bind("hash", data.sha512()).bind("now", Timestamp.from(now)).execute() == 1;
    }

    void delete(Handle h, String id) {
        h.createUpdate("DELETE FROM image_image WHERE id = :id").bind("id", id).execute();
    }

    private static void writeDetails(Handle h, Image image) {
        image.properties().forEach((name, value) -> h.createUpdate(
                        "INSERT INTO image_property (image_id, name, prop_value) VALUES (:id, :name, :value)")
                .bind("id", image.id()).bind("name", name).bind("value", value).execute());
        image.tags().forEach(tag -> h.createUpdate("INSERT INTO image_tag (image_id, tag) VALUES (:id, :tag)")
                .bind("id", image.id()).bind("tag", tag).execute());
    }

    private List<Image> list(Handle h, String where, Map<String, Object> params) {
        List<Image> rows = h.createQuery("SELECT * FROM image_image " + where).bindMap(params)
                .map((rs, ctx) -> row(rs)).list();
        if (rows.isEmpty()) {
            return rows;
        }
        Map<String, Map<String, String>> properties = new HashMap<>();
        h.createQuery("SELECT image_id, name, prop_value FROM image_property ORDER BY name").map((rs, ctx) -> {
            properties.computeIfAbsent(rs.getString("image_id"), k -> new LinkedHashMap<>())
                    .put(rs.getString("name"), rs.getString("prop_value"));
            return 0;
        }).list();
        Map<String, List<String>> tags = new HashMap<>();
        h.createQuery("SELECT image_id, tag FROM image_tag ORDER BY tag").map((rs, ctx) -> {
            tags.computeIfAbsent(rs.getString("image_id"), k -> new ArrayList<>()).add(rs.getString("tag"));
            return 0;
        }).list();
        return rows.stream().map(i -> new Image(i.id(), i.owner(), i.name(), i.status(), i.visibility(),
                i.isProtected(), i.osHidden(), i.diskFormat(), i.containerFormat(), i.minDisk(), i.minRam(), i.size(),
                i.checksum(), i.osHashAlgo(), i.osHashValue(), properties.getOrDefault(i.id(), Map.of()),
                tags.getOrDefault(i.id(), List.of()), i.createdAt(), i.updatedAt())).toList();
    }

    private static Image row(ResultSet rs) throws SQLException {
        long size = rs.getLong("size");
        OptionalLong sizeOrEmpty = rs.wasNull() ? OptionalLong.empty() : OptionalLong.of(size);
        return new Image(rs.getString("id"), rs.getString("owner"), Optional.ofNullable(rs.getString("name")),
                rs.getString("status"), rs.getString("visibility"), rs.getBoolean("protected"),
                rs.getBoolean("os_hidden"), Optional.ofNullable(rs.getString("disk_format")),
                Optional.ofNullable(rs.getString("container_format")), rs.getInt("min_disk"), rs.getInt("min_ram"),
                sizeOrEmpty, Optional.ofNullable(rs.getString("checksum")),
                Optional.ofNullable(rs.getString("os_hash_algo")), Optional.ofNullable(rs.getString("os_hash_value")),
                Map.of(), List.of(), rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("updated_at").toInstant());
    }
}
