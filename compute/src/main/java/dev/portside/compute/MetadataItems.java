package dev.portside.compute;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portside.common.json.Json;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Nova's metadata items, wherever they are given (a server's metadata, an image's through the proxy,
 * a snapshot's): keys of 1 to 255 characters, values strings of at most 255.
 */
public final class MetadataItems {
    private MetadataItems() {
    }

    /** The items of {"<wrapper>": {key: value, ...}}, which must be the body's only member. */
    public static Map<String, String> read(ObjectNode body, String wrapper) {
        JsonNode items = body.get(wrapper);
        if (items == null || !items.isObject() || body.size() != 1) {
            throw NovaErrors.badRequest("Invalid input for field/attribute " + wrapper + ". Value: " + body
                    + ". '" + wrapper + "' is a required property, an object, and the only one");
        }
        return of(wrapper, items);
    }

    /** The items of an object given as {@code field}. */
    public static Map<String, String> of(String field, JsonNode items) {
        if (!items.isObject()) {
            throw NovaErrors.badRequest("Invalid input for field/attribute " + field + ". Value: " + items
                    + ". " + items + " is not of type 'object'");
        }
        Map<String, String> map = new LinkedHashMap<>();
        items.properties().forEach(e -> {
            if (e.getKey().isEmpty() || e.getKey().length() > 255 || !e.getValue().isTextual()
                    || e.getValue().asText().length() > 255) {
                throw NovaErrors.badRequest("Invalid input for field/attribute " + field + ". Value: " + items
                        + ". keys are 1 to 255 characters, values strings of at most 255");
            }
            map.put(e.getKey(), e.getValue().asText());
        });
        return map;
    }

    /** The items as JSON, keys in order. */
    public static ObjectNode json(Map<String, String> metadata) {
        ObjectNode json = Json.object();
        new TreeMap<>(metadata).forEach(json::put);
        return json;
    }
}
