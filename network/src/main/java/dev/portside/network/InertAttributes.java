package dev.portside.network;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portside.common.http.ApiException;

import java.util.Map;

/**
 * Attributes of Neutron extensions Portside does not implement, which SDKs send anyway with the
 * value that asks for nothing (openstack4j sends "is_default": false on every network). Such a
 * request is accepted as if the attribute were absent; any other value is refused, never ignored.
 */
public final class InertAttributes {
    private static final Map<String, Map<String, JsonNode>> BY_RESOURCE = Map.of(
            "network", Map.of("is_default", BooleanNode.FALSE, "qos_policy_id", NullNode.instance),
            "port", Map.of("qos_policy_id", NullNode.instance));

    private InertAttributes() {
    }

    /**
     * Removes server-managed attributes that a client echoes back unchanged in an update (SDKs that
     * send a fetched resource back do this with its timestamps); a changed value is refused.
     */
    public static ObjectNode stripEchoes(ObjectNode body, String resource, ObjectNode current, java.util.Set<String> updatable) {
        JsonNode inner = body.get(resource);
        if (inner instanceof ObjectNode attributes) {
            for (String name : java.util.List.copyOf(iterable(attributes))) {
                if (updatable.contains(name) || !current.has(name)) {
                    continue;
                }
                if (!sameValue(current.get(name), attributes.get(name))) {
                    throw new ApiException(400, "HTTPBadRequest", "Cannot update read-only attribute " + name + " (it is "
                            + current.get(name) + ", the request says " + attributes.get(name) + ")");
                }
                attributes.remove(name);
            }
        }
        return body;
    }

    // A timestamp echoed by an SDK may come back as epoch milliseconds (openstack4j) rather than as text.
    private static boolean sameValue(JsonNode current, JsonNode sent) {
        if (current.equals(sent)) {
            return true;
        }
        if (current.isTextual() && sent.isIntegralNumber()) {
            try {
                return java.time.Instant.parse(current.asText()).toEpochMilli() == sent.asLong();
            } catch (java.time.format.DateTimeParseException notATime) {
                return false;
            }
        }
        return false;
    }

    private static java.util.List<String> iterable(ObjectNode node) {
        java.util.List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** Removes the resource's inert attributes from {@code body}'s {"resource": {...}}, or refuses them. */
    public static ObjectNode strip(ObjectNode body, String resource) {
        JsonNode inner = body.get(resource);
        if (inner instanceof ObjectNode attributes) {
            BY_RESOURCE.getOrDefault(resource, Map.of()).forEach((name, inert) -> {
                JsonNode value = attributes.get(name);
                if (value == null) {
                    return;
                }
                if (!value.equals(inert)) {
                    throw new ApiException(400, "HTTPBadRequest", "Portside does not support " + name + " = " + value
                            + " (the extension that defines it is not loaded).");
                }
                attributes.remove(name);
            });
        }
        return body;
    }
}
