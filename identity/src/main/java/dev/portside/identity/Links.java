package dev.portside.identity;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portside.common.json.Json;

/** Keystone's "links" members, built from the identity endpoint's public URL. */
public record Links(String baseUrl) {
    public ObjectNode self(String path) {
        return Json.object().put("self", baseUrl + path);
    }

    /** A list response: {"<key>": [...], "links": {"self", "previous", "next"}}; Portside lists are not paged. */
    public ObjectNode list(String key, ArrayNode items, String path) {
        ObjectNode body = Json.object();
        body.set(key, items);
        body.putObject("links").put("self", baseUrl + path).putNull("previous").putNull("next");
        return body;
    }
}
