package dev.portside.common.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.portside.common.http.ApiException;

import java.util.List;
import java.util.Map;

/** The one JSON mapper every service shares. */
public final class Json {
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private Json() {
    }

    /**
     * A value of plain Java types (maps, lists, strings, numbers, booleans, null: what a JSON column
     * reads back as) as a tree, built directly: the mapper's {@code valueToTree} serialises and parses
     * again, which costs more than the rest of a rendered resource.
     */
    public static JsonNode tree(Object value) {
        return switch (value) {
            case null -> NullNode.instance;
            case String text -> TextNode.valueOf(text);
            case Boolean bool -> BooleanNode.valueOf(bool);
            case Integer number -> IntNode.valueOf(number);
            case Long number -> LongNode.valueOf(number);
            case Map<?, ?> map -> {
                ObjectNode object = object();
                map.forEach((key, item) -> object.set(String.valueOf(key), tree(item)));
                yield object;
            }
            case List<?> list -> {
                ArrayNode array = array();
                list.forEach(item -> array.add(tree(item)));
                yield array;
            }
            default -> MAPPER.valueToTree(value);
        };
    }

    public static ObjectNode object() {
        return MAPPER.createObjectNode();
    }

    public static ArrayNode array() {
        return MAPPER.createArrayNode();
    }

    /** Parses a request body; anything that is not one JSON object is the client's error. */
    public static ObjectNode parseObject(String body) {
        if (body == null || body.isBlank()) {
            throw ApiException.badRequest("The request body is empty; a JSON object is expected.");
        }
        JsonNode node;
        try {
            node = MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("Malformed JSON in the request body: " + e.getOriginalMessage());
        }
        if (!(node instanceof ObjectNode object)) {
            throw ApiException.badRequest("The request body must be a JSON object.");
        }
        requireNoNul(object);
        return object;
    }

    /** Parses a request body that must be one JSON array (Glance's JSON-patch documents). */
    public static ArrayNode parseArray(String body) {
        JsonNode node;
        try {
            node = body == null || body.isBlank() ? null : MAPPER.readTree(body);
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("Malformed JSON in the request body: " + e.getOriginalMessage());
        }
        if (!(node instanceof ArrayNode array)) {
            throw ApiException.badRequest("The request body must be a JSON array.");
        }
        requireNoNul(array);
        return array;
    }

    // No OpenStack attribute holds a NUL, PostgreSQL cannot store one in text, and C clients reading
    // the value back would cut it short: a NUL anywhere in a body is refused before any handler sees it.
    private static void requireNoNul(JsonNode node) {
        if (node.isTextual() && node.textValue().indexOf('\u0000') >= 0) {
            throw ApiException.badRequest("The request body contains a NUL character, which no attribute accepts.");
        }
        for (var fields = node.fields(); fields.hasNext(); ) {
            var field = fields.next();
            if (field.getKey().indexOf('\u0000') >= 0) {
                throw ApiException.badRequest("The request body contains a NUL character, which no attribute accepts.");
            }
            requireNoNul(field.getValue());
        }
        if (node.isArray()) {
            node.forEach(Json::requireNoNul);
        }
    }

    /** True when {@code text} holds a control character (Unicode category Cc: C0, DEL, C1). */
    public static boolean hasControlCharacter(String text) {
        return text.chars().anyMatch(c -> Character.getType(c) == Character.CONTROL);
    }

    public static String write(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a tree always serialises", e);
        }
    }
}
