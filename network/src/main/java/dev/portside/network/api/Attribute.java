package dev.portside.network.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.util.Optional;
import java.util.function.Function;

/**
 * One attribute of a resource, as an entry of neutron-lib's {@code RESOURCE_ATTRIBUTE_MAP}: whether a
 * create or an update may set it, its default, its validator, who may read it, whether setting it
 * has a policy rule of its own ({@code create_port:mac_address}), how a list filters and sorts on it
 * in SQL, and how it is read from the domain value for rendering.
 *
 * <p>A default is what a create that does not name the attribute gets; an attribute with none is
 * either required or decided by the service from other state ({@code port_security_enabled} of a
 * port follows its network's), as {@code ATTR_NOT_SPECIFIED} in Neutron.
 */
public record Attribute<T>(String name, boolean allowPost, boolean allowPut, Optional<JsonNode> defaultValue,
                           Validator validator, Optional<String> readPolicy, boolean writePolicy,
                           Optional<Query> query, Function<T, JsonNode> value) {

    /** An attribute clients read and never set (id, status, timestamps). */
    public static <T> Attribute<T> readOnly(String name, Function<T, JsonNode> value) {
        return new Attribute<>(name, false, false, Optional.empty(), Validator.ANY, Optional.empty(), false,
                Optional.empty(), value);
    }

    public static <T> Attribute<T> text(String name, Function<T, String> value) {
        return readOnly(name, value.andThen(TextNode::valueOf));
    }

    public static <T> Attribute<T> bool(String name, Function<T, Boolean> value) {
        return readOnly(name, value.andThen(BooleanNode::valueOf));
    }

    public Attribute<T> post() {
        return new Attribute<>(name, true, allowPut, defaultValue, validator, readPolicy, writePolicy, query, value);
    }

    public Attribute<T> put() {
        return new Attribute<>(name, allowPost, true, defaultValue, validator, readPolicy, writePolicy, query, value);
    }

    public Attribute<T> defaultsTo(JsonNode fallback) {
        return new Attribute<>(name, allowPost, allowPut, Optional.of(fallback), validator, readPolicy, writePolicy,
                query, value);
    }

    public Attribute<T> defaultsTo(String fallback) {
        return defaultsTo(TextNode.valueOf(fallback));
    }

    public Attribute<T> defaultsTo(boolean fallback) {
        return defaultsTo(BooleanNode.valueOf(fallback));
    }

    public Attribute<T> validated(Validator check) {
        return new Attribute<>(name, allowPost, allowPut, defaultValue, check, readPolicy, writePolicy, query, value);
    }

    /** Shown only to callers the rule allows (Neutron's {@code get_port:binding:host_id} style). */
    public Attribute<T> readableBy(String rule) {
        return new Attribute<>(name, allowPost, allowPut, defaultValue, validator, Optional.of(rule), writePolicy,
                query, value);
    }

    /** Setting it is checked against {@code <action>:<name>} as well as the action's own rule. */
    public Attribute<T> policed() {
        return new Attribute<>(name, allowPost, allowPut, defaultValue, validator, readPolicy, true, query, value);
    }

    /** Lists filter and sort on this column (of the resource's row, by its table alias). */
    public Attribute<T> column(String sql, Query.Kind kind) {
        return new Attribute<>(name, allowPost, allowPut, defaultValue, validator, readPolicy, writePolicy,
                Optional.of(new Query.Column(sql, kind)), value);
    }

    /** Lists filter on rows beside the resource's (addresses, groups); such attributes do not sort. */
    public Attribute<T> within(Query.Within rows) {
        return new Attribute<>(name, allowPost, allowPut, defaultValue, validator, readPolicy, writePolicy,
                Optional.of(rows), value);
    }
}
