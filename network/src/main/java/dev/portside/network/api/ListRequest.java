package dev.portside.network.api;

import dev.portside.network.NeutronErrors;
import dev.portside.common.http.ApiException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Neutron's list query parameters, checked against the resource's definition: attribute filters
 * (several values of one attribute match any of them), the tag filters, {@code fields},
 * {@code sort_key}/{@code sort_dir} and {@code limit}/{@code marker}/{@code page_reverse}.
 */
public record ListRequest(Map<String, List<String>> filters, List<String> fields, List<SortKey> sort, int limit,
                          Optional<String> marker, boolean pageReverse) {
    private static final Set<String> RESERVED = Set.of("fields", "sort_key", "sort_dir", "limit", "marker", "page_reverse");
    /** Neutron's tag filters: comma-separated lists, all of them (tags) or any (tags-any), and their negations. */
    public static final Set<String> TAG_FILTERS = Set.of("tags", "tags-any", "not-tags", "not-tags-any");

    public record SortKey(String attribute, boolean ascending) {
    }

    public ListRequest {
        filters = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(filters));
        fields = List.copyOf(fields);
        sort = List.copyOf(sort);
    }

    /** Everything, in id order: what a caller inside the process asks for. */
    public static ListRequest all() {
        return new ListRequest(Map.of(), List.of(), List.of(), 0, Optional.empty(), false);
    }

    /**
     * {@code params} as a request's query string gives them; {@code readable} says which of the
     * definition's attributes the caller may see (and so filter and sort on).
     */
    public static <T extends StandardResource> ListRequest of(Map<String, List<String>> params,
                                                              ResourceDefinition<T> definition,
                                                              Predicate<Attribute<T>> readable) {
        Map<String, List<String>> filters = new LinkedHashMap<>();
        params.forEach((key, values) -> {
            if (RESERVED.contains(key)) {
                return;
            }
            boolean known = definition.taggable() && TAG_FILTERS.contains(key)
                    || definition.attribute(key).filter(readable).flatMap(Attribute::query).isPresent();
            if (!known) {
                // Neutron refuses filters on attributes a resource does not have (or does not filter on).
                throw NeutronErrors.invalidInput("'" + key + "' is not an attribute you can filter on.");
            }
            filters.put(key, values);
        });
        List<String> keys = params.getOrDefault("sort_key", List.of());
        List<String> dirs = params.getOrDefault("sort_dir", List.of());
        List<SortKey> sort = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            String key = keys.get(i);
            boolean sortable = definition.attribute(key).filter(readable).flatMap(Attribute::query)
                    .filter(q -> q instanceof Query.Column).isPresent();
            if (!sortable) {
                throw new ApiException(400, "HTTPBadRequest", "'" + key + "' is an invalid attribute for sort_key.");
            }
            String dir = i < dirs.size() ? dirs.get(i) : "asc";
            if (!dir.equals("asc") && !dir.equals("desc")) {
                throw NeutronErrors.invalidInput("Sort direction '" + dir + "' is not supported; use asc or desc.");
            }
            sort.add(new SortKey(key, dir.equals("asc")));
        }
        return new ListRequest(filters, params.getOrDefault("fields", List.of()), sort, limit(params),
                first(params, "marker"), first(params, "page_reverse").map("true"::equalsIgnoreCase).orElse(false));
    }

    private static int limit(Map<String, List<String>> params) {
        Optional<String> text = first(params, "limit");
        if (text.isEmpty()) {
            return 0;
        }
        int limit;
        try {
            limit = Integer.parseInt(text.get());
        } catch (NumberFormatException e) {
            limit = -1;
        }
        if (limit < 0) {
            throw NeutronErrors.invalidAttribute("limit", "'" + text.get() + "' is not a valid non-negative integer.");
        }
        return limit;
    }

    private static Optional<String> first(Map<String, List<String>> params, String name) {
        return Optional.ofNullable(params.get(name)).filter(v -> !v.isEmpty()).map(List::getFirst);
    }

    /** The query string that repeats this request's filters, fields and sorting, for paging links. */
    public String repeated() {
        StringBuilder query = new StringBuilder();
        filters.forEach((key, values) -> values.forEach(v -> append(query, key, v)));
        fields.forEach(f -> append(query, "fields", f));
        sort.forEach(k -> {
            append(query, "sort_key", k.attribute());
            append(query, "sort_dir", k.ascending() ? "asc" : "desc");
        });
        return query.toString();
    }

    private static void append(StringBuilder query, String key, String value) {
        query.append('&').append(encode(key)).append('=').append(encode(value));
    }

    private static String encode(String text) {
        return java.net.URLEncoder.encode(text, java.nio.charset.StandardCharsets.UTF_8);
    }
}
