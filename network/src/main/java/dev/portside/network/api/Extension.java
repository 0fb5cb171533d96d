package dev.portside.network.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portside.common.json.Json;

/** One API extension, as neutron-lib's API definitions describe it in {@code GET /v2.0/extensions}. */
public record Extension(String alias, String name, String description, String updated) {
    public ObjectNode render() {
        ObjectNode json = Json.object().put("alias", alias).put("name", name).put("description", description)
                .put("updated", updated);
        json.putArray("links");
        return json;
    }
}
