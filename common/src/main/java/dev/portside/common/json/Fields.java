package dev.portside.common.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portside.common.http.ApiException;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Strict reading of one JSON object in a request: each resource declares the attributes it accepts,
 * and anything else, or a value of the wrong type, is a 400 that names the field. Messages follow the
 * JSON-schema wording Keystone and Nova return ("Invalid input for field 'x': ...").
 */
public final class Fields {
    private final ObjectNode node;
    private final String path;

    private Fields(ObjectNode node, String path) {
        this.node = node;
        this.path = path;
    }

    /** The body's single top-level member {@code key} (e.g. {"project": {...}}), checked against {@code allowed}. */
    public static Fields wrapped(ObjectNode body, String key, Set<String> allowed) {
        onlyKnown(body, "", Set.of(key));
        JsonNode inner = body.get(key);
        if (inner == null) {
            throw invalid("", "'" + key + "' is a required property");
        }
        if (!inner.isObject()) {
            throw invalid(key, describe(inner) + " is not of type 'object'");
        }
        return of((ObjectNode) inner, key, allowed);
    }

    public static Fields of(ObjectNode node, String path, Set<String> allowed) {
        onlyKnown(node, path, allowed);
        return new Fields(node, path);
    }

    public boolean has(String name) {
        return node.has(name);
    }

    public ObjectNode node() {
        return node;
    }

    public String requiredString(String name, int maxLength) {
        return string(name, maxLength).orElseThrow(() -> invalid(path, "'" + name + "' is a required property"));
    }

    public Optional<String> string(String name, int maxLength) {
        JsonNode value = node.get(name);
        if (value == null) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw invalid(child(name), describe(value) + " is not of type 'string'");
        }
        String text = value.textValue();
        if (text.length() > maxLength) {
            throw invalid(child(name), "'" + abbreviate(text) + "' is too long (at most " + maxLength + " characters)");
        }
        // A resource's name is shown in lists and terminals; Nova's and Keystone's schemas refuse control
        // characters in it (a newline or an escape sequence would forge lines of another tool's output).
        if (name.equals("name") && Json.hasControlCharacter(text)) {
            throw invalid(child(name), "the name must not contain control characters");
        }
        return Optional.of(text);
    }

    /** A string that may be given as JSON null (which clears it), as Keystone's description and email allow. */
    public Optional<Optional<String>> nullableString(String name, int maxLength) {
        JsonNode value = node.get(name);
        if (value == null) {
            return Optional.empty();
        }
        if (value.isNull()) {
            return Optional.of(Optional.empty());
        }
        return Optional.of(string(name, maxLength));
    }

    public String requiredName(String name, int maxLength) {
        String value = requiredString(name, maxLength);
        if (value.isBlank()) {
            throw invalid(child(name), "'" + value + "' is too short");
        }
        return value;
    }

    public Optional<Boolean> bool(String name) {
        JsonNode value = node.get(name);
        if (value == null) {
            return Optional.empty();
        }
        if (!value.isBoolean()) {
            throw invalid(child(name), describe(value) + " is not of type 'boolean'");
        }
        return Optional.of(value.booleanValue());
    }

    public Optional<Integer> integer(String name) {
        JsonNode value = node.get(name);
        if (value == null) {
            return Optional.empty();
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw invalid(child(name), describe(value) + " is not of type 'integer'");
        }
        return Optional.of(value.intValue());
    }

    /** A list of objects, each checked against {@code allowed} (e.g. allocation pools, host routes). */
    public Optional<List<Fields>> objects(String name, Set<String> allowed) {
        JsonNode value = node.get(name);
        if (value == null) {
            return Optional.empty();
        }
        if (!value.isArray()) {
            throw invalid(child(name), describe(value) + " is not of type 'array'");
        }
        List<Fields> items = new ArrayList<>();
        for (JsonNode item : value) {
            if (!item.isObject()) {
                throw invalid(child(name), describe(item) + " is not of type 'object'");
            }
            items.add(of((ObjectNode) item, child(name), allowed));
        }
        return Optional.of(List.copyOf(items));
    }

    public Optional<Fields> object(String name, Set<String> allowed) {
        JsonNode value = node.get(name);
        if (value == null) {
            return Optional.empty();
        }
        if (!value.isObject()) {
            throw invalid(child(name), describe(value) + " is not of type 'object'");
        }
        return Optional.of(of((ObjectNode) value, child(name), allowed));
    }

    /** An object whose keys are the client's to choose (e.g. Neutron's binding:profile). */
    public Optional<ObjectNode> freeObject(String name) {
        JsonNode value = node.get(name);
        if (value == null) {
            return Optional.empty();
        }
        if (!value.isObject()) {
            throw invalid(child(name), describe(value) + " is not of type 'object'");
        }
        return Optional.of((ObjectNode) value);
    }

    public Fields requiredObject(String name, Set<String> allowed) {
        return object(name, allowed).orElseThrow(() -> invalid(path, "'" + name + "' is a required property"));
    }

    public Optional<List<String>> strings(String name, int maxItemLength) {
        JsonNode value = node.get(name);
        if (value == null) {
            return Optional.empty();
        }
        if (!value.isArray()) {
            throw invalid(child(name), describe(value) + " is not of type 'array'");
        }
        List<String> items = new ArrayList<>();
        for (JsonNode item : value) {
            if (!item.isTextual() || item.textValue().length() > maxItemLength) {
                throw invalid(child(name), describe(item) + " is not a string of at most " + maxItemLength + " characters");
            }
            items.add(item.textValue());
        }
        return Optional.of(List.copyOf(items));
    }

    /** A 400 about this object's attribute {@code name}, for checks beyond types (formats, ranges). */
    public ApiException invalidField(String name, String message) {
        return invalid(child(name), message);
    }

    private String child(String name) {
        return path.isEmpty() ? name : path + "/" + name;
    }

    private static void onlyKnown(ObjectNode node, String path, Set<String> allowed) {
        Set<String> unexpected = new TreeSet<>();
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                unexpected.add(name);
            }
        }
        if (!unexpected.isEmpty()) {
            String listed = String.join("', '", unexpected);
            throw invalid(path, "Additional properties are not allowed ('" + listed + "' "
                    + (unexpected.size() == 1 ? "was" : "were") + " unexpected)");
        }
    }

    private static ApiException invalid(String path, String message) {
        String where = path.isEmpty() ? "request body" : "field '" + path + "'";
        return new ApiException(400, "ValidationError", "Invalid input for " + where + ": " + message);
    }

    private static String describe(JsonNode value) {
        return value.isTextual() ? "'" + abbreviate(value.textValue()) + "'" : abbreviate(value.toString());
    }

    private static String abbreviate(String text) {
        return text.length() <= 64 ? text : text.substring(0, 61) + "...";
    }
}
