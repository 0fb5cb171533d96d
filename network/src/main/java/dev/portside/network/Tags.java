package dev.portside.network;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.portside.common.http.ApiException;
import dev.portside.common.json.Json;
import org.jdbi.v3.core.Handle;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Tags of every taggable resource (Neutron's standard-attr-tag), stored by resource id.
 */
public final class Tags {
    private static final int MAX_TAGS = 50;
    private static final int MAX_LENGTH = 255;

    public List<String> of(Handle h, String resourceId) {
        return h.createQuery("SELECT tag FROM network_tag WHERE resource_id = :id ORDER BY tag").bind("id", resourceId)
                .mapTo(String.class).list();
    }

    /** The tags of each of {@code ids} (one query for the lot); ids without tags are absent. */
    public Map<String, List<String>> of(Handle h, List<String> ids) {
        Map<String, List<String>> byId = new HashMap<>();
        if (ids.isEmpty()) {
            return byId;
        }
        // Past a few hundred resources, reading every tag is cheaper than (and, on PostgreSQL, a bound list cannot
        // exceed 32,767 parameters) naming each id.
        var query = ids.size() > 500
                ? h.createQuery("SELECT resource_id, tag FROM network_tag ORDER BY tag")
                : h.createQuery("SELECT resource_id, tag FROM network_tag WHERE resource_id IN (<ids>) ORDER BY tag")
                        .bindList("ids", ids);
        query.map((rs, ctx) -> Map.entry(rs.getString("resource_id"), rs.getString("tag")))
                .forEach(e -> byId.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
        return byId;
    }

    public void add(Handle h, String resourceId, String tag) {
        check(List.of(tag));
        if (of(h, resourceId).size() >= MAX_TAGS) {
            throw NeutronErrors.invalidInput("a resource has at most " + MAX_TAGS + " tags");
        }
        h.createUpdate("INSERT INTO network_tag (resource_id, tag) VALUES (:id, :tag) ON CONFLICT DO NOTHING")
                .bind("id", resourceId).bind("tag", tag).execute();
    }

    public void replace(Handle h, String resourceId, List<String> tags) {
        check(tags);
        h.createUpdate("DELETE FROM network_tag WHERE resource_id = :id").bind("id", resourceId).execute();
        for (String tag : new LinkedHashSet<>(tags)) {
            h.createUpdate("INSERT INTO network_tag (resource_id, tag) VALUES (:id, :tag)")
                    .bind("id", resourceId).bind("tag", tag).execute();
        }
    }

    public boolean remove(Handle h, String resourceId, String tag) {
        return h.createUpdate("DELETE FROM network_tag WHERE resource_id = :id AND tag = :tag")
                .bind("id", resourceId).bind("tag", tag).execute() > 0;
    }

    public static ApiException notFound(String tag, String resourceId) {
        return new ApiException(404, "TagNotFound", "Tag " + tag + " could not be found for resource " + resourceId + ".");
    }

    private static void check(List<String> tags) {
        if (tags.size() > MAX_TAGS) {
            throw NeutronErrors.invalidInput("a resource has at most " + MAX_TAGS + " tags");
        }
        for (String tag : tags) {
            if (tag.isEmpty() || tag.length() > MAX_LENGTH) {
                throw NeutronErrors.invalidAttribute("tags", "'" + tag + "' is not a tag of 1 to " + MAX_LENGTH + " characters");
            }
        }
    }

    static ArrayNode render(List<String> tags) {
        ArrayNode array = Json.array();
        tags.forEach(array::add);
        return array;
    }
}
