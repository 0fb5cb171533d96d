package dev.portside.network.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portside.common.json.Fields;
import dev.portside.common.json.Json;
import dev.portside.network.InertAttributes;
import dev.portside.network.StandardAttributes;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * A Neutron resource as data, as neutron-lib's API definitions are: its names, its table, and every
 * attribute it has, core and from each loaded extension. What a create or update accepts, how the
 * resource renders, which attributes a list filters and sorts on, and per-attribute policy all come
 * from here; a new attribute is one entry in {@link Definitions}.
 */
public final class ResourceDefinition<T extends StandardResource> {
    private final String member;
    private final String collection;
    private final String table;
    private final boolean taggable;
    private final Map<String, Attribute<T>> attributes;
    private final List<Extension> extensions;

    private ResourceDefinition(String member, String collection, String table, boolean taggable,
                               List<Attribute<T>> attributes, List<Extension> extensions) {
        this.member = member;
        this.collection = collection;
        this.table = table;
        this.taggable = taggable;
        Map<String, Attribute<T>> byName = new LinkedHashMap<>();
        attributes.forEach(a -> {
            if (byName.put(a.name(), a) != null) {
                throw new IllegalArgumentException(member + " defines " + a.name() + " twice");
            }
        });
        this.attributes = java.util.Collections.unmodifiableMap(byName);
        this.extensions = List.copyOf(extensions);
    }

    /** A resource with its core attributes; {@link #extendedBy} adds each extension's. */
    public static <T extends StandardResource> ResourceDefinition<T> of(String member, String collection, String table,
                                                                        List<Attribute<T>> core) {
        return new ResourceDefinition<>(member, collection, table, false, core, List.of());
    }

    public ResourceDefinition<T> extendedBy(Extension extension, List<Attribute<T>> added) {
        List<Attribute<T>> all = new ArrayList<>(attributes.values());
        all.addAll(added);
        List<Extension> by = new ArrayList<>(extensions);
        by.add(extension);
        return new ResourceDefinition<>(member, collection, table, taggable, all, by);
    }

    /** The standard attributes (owner, description, timestamps, revision) and, when taggable, tags. */
    public ResourceDefinition<T> withStandardAttributes(boolean tags) {
        ResourceDefinition<T> withStandard = new ResourceDefinition<>(member, collection, table, tags,
                new ArrayList<>(attributes.values()), extensions);
        if (tags) {
            withStandard = withStandard.extendedBy(Definitions.TAG, List.of());
        }
        return withStandard.extendedBy(Definitions.PROJECT_ID, List.of(
                        Attribute.<T>text("tenant_id", StandardResource::projectId).post().column("project_id", Query.Kind.TEXT),
                        Attribute.<T>text("project_id", StandardResource::projectId).post().column("project_id", Query.Kind.TEXT)))
                .extendedBy(Definitions.DESCRIPTION, List.of(Attribute.<T>text("description", StandardResource::description)
                        .post().put().defaultsTo("").column("description", Query.Kind.TEXT)))
                .extendedBy(Definitions.TIMESTAMP, List.of(
                        Attribute.<T>text("created_at", r -> StandardAttributes.time(r.createdAt())).column("created_at", Query.Kind.TIME),
                        Attribute.<T>text("updated_at", r -> StandardAttributes.time(r.updatedAt())).column("updated_at", Query.Kind.TIME)))
                .extendedBy(Definitions.REVISIONS, List.of(Attribute.<T>readOnly("revision_number",
                        r -> Json.MAPPER.getNodeFactory().numberNode(r.revisionNumber()))
                        .column("revision_number", Query.Kind.INTEGER)));
    }

    /** A resource that is created and deleted but never updated (security group rules): no PUT route. */
    public ResourceDefinition<T> withoutUpdates() {
        return new ResourceDefinition<>(member, collection, table, taggable, attributes.values().stream()
                .map(a -> new Attribute<>(a.name(), a.allowPost(), false, a.defaultValue(), a.validator(), a.readPolicy(),
                        a.writePolicy(), a.query(), a.value())).toList(), extensions);
    }

    public String member() {
        return member;
    }

    public String collection() {
        return collection;
    }

    /** The resource's table, by which lists and markers are read. */
    public String table() {
        return table;
    }

    public boolean taggable() {
        return taggable;
    }

    public List<Extension> extensions() {
        return extensions;
    }

    public Optional<Attribute<T>> attribute(String name) {
        return Optional.ofNullable(attributes.get(name));
    }

    public Set<String> creatable() {
        return names(Attribute::allowPost);
    }

    public Set<String> updatable() {
        return names(Attribute::allowPut);
    }

    private Set<String> names(Predicate<Attribute<T>> which) {
        return attributes.values().stream().filter(which).map(Attribute::name).collect(Collectors.toUnmodifiableSet());
    }

    /**
     * A create body {"member": {...}}: refused if it names an attribute a create may not set or a value
     * an attribute's validator refuses; attributes with a default the client left out get it.
     */
    public Request forCreate(ObjectNode body) {
        Fields fields = Fields.wrapped(InertAttributes.strip(body, member), member, creatable());
        ObjectNode node = fields.node();
        validate(node);
        Set<String> explicit = new HashSet<>();
        for (Attribute<T> attribute : attributes.values()) {
            JsonNode given = node.get(attribute.name());
            if (given == null) {
                attribute.defaultValue().ifPresent(d -> node.set(attribute.name(), d.deepCopy()));
            } else if (attribute.defaultValue().map(d -> !d.equals(given)).orElse(true)) {
                // Neutron's "explicitly set": given, and not the default (a member may say "shared": false).
                explicit.add(attribute.name());
            }
        }
        return new Request("create_" + member, fields, explicit, names(Attribute::writePolicy));
    }

    /**
     * An update body: only attributes an update may set; read-only ones a client echoes back unchanged
     * (SDKs that send a fetched resource back) are dropped, changed ones refused.
     */
    public Request forUpdate(ObjectNode body, T current) {
        ObjectNode stripped = InertAttributes.stripEchoes(InertAttributes.strip(body, member), member,
                render(current, List.of(), rule -> true), updatable());
        Fields fields = Fields.wrapped(stripped, member, updatable());
        validate(fields.node());
        Set<String> explicit = new HashSet<>();
        fields.node().fieldNames().forEachRemaining(explicit::add);
        return new Request("update_" + member, fields, explicit, names(Attribute::writePolicy));
    }

    private void validate(ObjectNode node) {
        node.fields().forEachRemaining(field -> {
            if (!field.getValue().isNull()) {
                attribute(field.getKey()).ifPresent(a -> a.validator().check(a.name(), field.getValue()));
            }
        });
    }

    /**
     * The resource as the API shows it; attributes with a read rule appear only where {@code mayRead}
     * allows, and an attribute whose value is missing (a port that is no trunk's parent has no
     * trunk_details) is left out, as Neutron leaves it out.
     */
    public ObjectNode render(T item, List<String> tags, Predicate<String> mayRead) {
        ObjectNode json = Json.object();
        for (Attribute<T> attribute : attributes.values()) {
            if (attribute.readPolicy().map(mayRead::test).orElse(true)) {
                JsonNode value = attribute.value().apply(item);
                if (!value.isMissingNode()) {
                    json.set(attribute.name(), value);
                }
            }
        }
        if (taggable) {
            ArrayNode array = json.putArray("tags");
            tags.forEach(array::add);
        }
        return json;
    }

    /** {@code fields=}: only the named attributes, in the order asked (none named: all). */
    public static ObjectNode select(ObjectNode item, List<String> fields) {
        if (fields.isEmpty()) {
            return item;
        }
        ObjectNode trimmed = Json.object();
        for (String field : fields) {
            if (item.has(field)) {
                trimmed.set(field, item.get(field));
            }
        }
        return trimmed;
    }
}
