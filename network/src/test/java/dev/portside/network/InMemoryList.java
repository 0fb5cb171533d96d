package dev.portside.network;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portside.common.http.ApiException;
import dev.portside.common.json.Json;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The oracle for {@link ListingTest}: Portside's lists as they were answered before they moved into
 * SQL - every visible resource rendered, then filtered, sorted and paged in memory. Kept verbatim
 * (but for taking the query as a map) so the SQL path can be compared with it row for row.
 *
 * <p>Neutron's list query parameters over rendered resources: attribute filters (several values of one
 * attribute match any of them; {@code fixed_ips=ip_address=X} and {@code fixed_ips=subnet_id=X}
 * match inside the list), {@code fields}, {@code sort_key}/{@code sort_dir}, and
 * {@code limit}/{@code marker}/{@code page_reverse} with "next" and "previous" links.
 */
record InMemoryList(Map<String, List<String>> filters, List<String> fields, List<String> sortKeys,
                        List<Boolean> ascending, int limit, String marker, boolean pageReverse) {
    private static final Set<String> RESERVED = Set.of("fields", "sort_key", "sort_dir", "limit", "marker", "page_reverse");

    static InMemoryList of(Map<String, List<String>> params) {
        Map<String, List<String>> filters = new java.util.LinkedHashMap<>();
        params.forEach((key, values) -> {
            if (!RESERVED.contains(key)) {
                filters.put(key, values);
            }
        });
        List<String> sortKeys = params.getOrDefault("sort_key", List.of());
        List<String> dirs = params.getOrDefault("sort_dir", List.of());
        List<Boolean> ascending = new ArrayList<>();
        for (int i = 0; i < sortKeys.size(); i++) {
            String dir = i < dirs.size() ? dirs.get(i) : "asc";
            if (!dir.equals("asc") && !dir.equals("desc")) {
                throw NeutronErrors.invalidInput("Sort direction '" + dir + "' is not supported; use asc or desc.");
            }
            ascending.add(dir.equals("asc"));
        }
        int limit = 0;
        String limitText = params.containsKey("limit") ? params.get("limit").getFirst() : null;
        if (limitText != null) {
            try {
                limit = Integer.parseInt(limitText);
            } catch (NumberFormatException e) {
                limit = -1;
            }
            if (limit < 0) {
                throw NeutronErrors.invalidAttribute("limit", "'" + limitText + "' is not a valid non-negative integer.");
            }
        }
        return new InMemoryList(filters, params.getOrDefault("fields", List.of()), sortKeys, ascending, limit,
                params.containsKey("marker") ? params.get("marker").getFirst() : null,
                params.containsKey("page_reverse") && "true".equalsIgnoreCase(params.get("page_reverse").getFirst()));
    }

    /** Filters, sorts, pages and trims {@code items}; returns {"<collection>": [...], "<collection>_links": [...]}. */
    public ObjectNode respond(String collection, List<ObjectNode> items, String url) {
        requireKnown(items);
        List<ObjectNode> matching = new ArrayList<>(items.stream().filter(this::matches).toList());
        Comparator<ObjectNode> order = Comparator.comparing(item -> item.path("id").asText());
        for (int i = sortKeys.size() - 1; i >= 0; i--) {
            String key = sortKeys.get(i);
            Comparator<ObjectNode> byKey = Comparator.comparing(item -> sortable(item.get(key)));
            order = (ascending.get(i) ? byKey : byKey.reversed()).thenComparing(order);
        }
        matching.sort(order);
        if (pageReverse) {
            java.util.Collections.reverse(matching);
        }
        int start = 0;
        if (marker != null) {
            for (int i = 0; i < matching.size(); i++) {
                if (matching.get(i).path("id").asText().equals(marker)) {
                    start = i + 1;
                    break;
                }
            }
        }
        int end = limit > 0 ? Math.min(matching.size(), start + limit) : matching.size();
        List<ObjectNode> page = new ArrayList<>(matching.subList(start, end));
        if (pageReverse) {
            java.util.Collections.reverse(page);
        }
        ObjectNode body = Json.object();
        ArrayNode out = body.putArray(collection);
        page.forEach(item -> out.add(select(item)));
        if (limit > 0) {
            ArrayNode links = body.putArray(collection + "_links");
            if (end < matching.size() && !page.isEmpty()) {
                links.addObject().put("rel", "next").put("href", url + "?limit=" + limit + "&marker="
                        + page.getLast().path("id").asText());
            }
            if (start > 0 && !page.isEmpty()) {
                links.addObject().put("rel", "previous").put("href", url + "?limit=" + limit + "&marker="
                        + page.getFirst().path("id").asText() + "&page_reverse=True");
            }
        }
        return body;
    }

    // Neutron refuses a sort key that is not an attribute, and a marker that names no resource the caller
    // can see (matched before filters, as Neutron looks the marker up by id); ignoring either would
    // silently answer a different page than the client asked for.
    private void requireKnown(List<ObjectNode> items) {
        if (!items.isEmpty()) {
            for (String key : sortKeys) {
                if (!items.getFirst().has(key)) {
                    throw new ApiException(400, "HTTPBadRequest", "'" + key + "' is an invalid attribute for sort_key.");
                }
            }
        }
        if (marker != null && items.stream().noneMatch(item -> item.path("id").asText().equals(marker))) {
            throw new ApiException(400, "HTTPBadRequest", "Marker " + marker + " could not be found.");
        }
    }

    /** Applies {@code fields=} to one resource, for show requests. */
    public ObjectNode select(ObjectNode item) {
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

    // Neutron's tag filters: comma-separated lists, all of them (tags) or any (tags-any), and their negations.
    private static final Set<String> TAG_FILTERS = Set.of("tags", "tags-any", "not-tags", "not-tags-any");

    private static boolean matchesTags(JsonNode tags, String filter, List<String> values) {
        Set<String> have = new java.util.HashSet<>();
        tags.forEach(tag -> have.add(tag.asText()));
        List<String> wanted = values.stream().flatMap(v -> java.util.Arrays.stream(v.split(","))).toList();
        boolean all = have.containsAll(wanted);
        boolean any = wanted.stream().anyMatch(have::contains);
        return switch (filter) {
            case "tags" -> all;
            case "tags-any" -> any;
            case "not-tags" -> !all;
            default -> !any;
        };
    }

    private boolean matches(ObjectNode item) {
        for (Map.Entry<String, List<String>> filter : filters.entrySet()) {
            if (TAG_FILTERS.contains(filter.getKey())) {
                if (!matchesTags(item.path("tags"), filter.getKey(), filter.getValue())) {
                    return false;
                }
                continue;
            }
            JsonNode value = item.get(filter.getKey());
            if (value == null) {
                // Neutron refuses filters on attributes a resource does not have.
                throw NeutronErrors.invalidInput("'" + filter.getKey() + "' is not an attribute you can filter on.");
            }
            if (filter.getValue().stream().noneMatch(wanted -> matches(value, wanted))) {
                return false;
            }
        }
        return true;
    }

    private static boolean matches(JsonNode value, String wanted) {
        if (value.isArray()) {
            int eq = wanted.indexOf('=');
            for (JsonNode element : value) {
                if (element.isObject() && eq > 0) {
                    if (element.path(wanted.substring(0, eq)).asText().equals(wanted.substring(eq + 1))) {
                        return true;
                    }
                } else if (element.asText().equals(wanted)) {
                    return true;
                }
            }
            return false;
        }
        if (value.isBoolean()) {
            return value.asBoolean() == (wanted.equalsIgnoreCase("true") || wanted.equals("1"));
        }
        return value.isNull() ? wanted.isEmpty() : value.asText().equals(wanted);
    }

    private static String sortable(JsonNode value) {
        return value == null || value.isNull() ? "" : value.isNumber() ? String.format("%020d", value.asLong()) : value.asText();
    }
}
