package dev.portside.network.api;

import dev.portside.common.http.ApiException;
import dev.portside.common.paging.Page;
import org.jdbi.v3.core.Handle;

import java.sql.Timestamp;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Predicate;

/**
 * Lists in SQL: a {@link ListRequest}'s filters, sorting and keyset paging become one query's WHERE,
 * ORDER BY and LIMIT over the resource's table, on H2 and PostgreSQL alike; only the page's rows are
 * read. The order is the sort keys, then id; {@code page_reverse} walks it backwards from the marker.
 * Policy is checked on the rows read, after the query, as Neutron does.
 */
public final class Listing {
    /** Which rows a caller's list starts from (their project's, shared ones; all for an admin), as SQL. */
    public record Scope(String sql, Map<String, Object> params) {
        public static final Scope ALL = new Scope("TRUE", Map.of());

        public Scope {
            params = Map.copyOf(params);
        }
    }

    /**
     * One page's rows: {@code where}, {@code order} and {@code limit} clauses over {@code alias}, the
     * table's alias, with their parameters; {@code fields}, when not empty, the only attributes the
     * caller will see (a store may leave the others unread).
     */
    public record Selection(String alias, String where, String order, int limit, Map<String, Object> params,
                            java.util.Set<String> fields) {
        public Selection {
            params = Map.copyOf(params);
            fields = java.util.Set.copyOf(fields);
        }

        public Selection(String alias, String where, String order, int limit, Map<String, Object> params) {
            this(alias, where, order, limit, params, java.util.Set.of());
        }

        /** Whether the caller will see {@code attribute}. */
        public boolean wants(String attribute) {
            return fields.isEmpty() || fields.contains(attribute);
        }

        /** {@code SELECT <columns> FROM <table> <alias> ... ORDER BY ... LIMIT ...}. */
        public String select(String columns, String table) {
            return "SELECT " + columns + " FROM " + table + " " + alias + " " + where + " " + order
                    + (limit > 0 ? " LIMIT " + limit : "");
        }
    }

    private final boolean postgres;

    /** {@code postgres}: text sorts in code-point order there too (COLLATE "C"), as it does on H2. */
    public Listing(boolean postgres) {
        this.postgres = postgres;
    }

    public <T extends StandardResource> Page<T> page(Handle h, ResourceDefinition<T> definition, String alias,
                                                     ListRequest request, Scope scope,
                                                     BiFunction<Handle, Selection, List<T>> load, Predicate<T> visible) {
        Map<String, Object> params = new HashMap<>(scope.params());
        List<String> conditions = new ArrayList<>();
        conditions.add("(" + scope.sql() + ")");
        request.filters().forEach((name, values) -> conditions.add(filter(definition, alias, name, values, params)));
        List<String> keys = new ArrayList<>();
        List<Boolean> ascending = new ArrayList<>();
        for (ListRequest.SortKey key : request.sort()) {
            Query.Column column = (Query.Column) definition.attribute(key.attribute()).orElseThrow().query().orElseThrow();
            keys.add(sortable(column, alias));
            ascending.add(key.ascending() != request.pageReverse());
        }
        keys.add(alias + ".id" + collated(Query.Kind.TEXT));
        ascending.add(!request.pageReverse());
        request.marker().ifPresent(marker -> conditions.add(after(h, definition, alias, marker, scope, keys, ascending,
                params)));
        List<String> order = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            order.add(keys.get(i) + (ascending.get(i) ? " ASC" : " DESC"));
        }
        int limit = request.limit();
        Selection selection = new Selection(alias, "WHERE " + String.join(" AND ", conditions),
                "ORDER BY " + String.join(", ", order), limit > 0 ? limit + 1 : 0, params,
                new java.util.HashSet<>(request.fields()));
        Page<T> page = Page.ofOneMore(load.apply(h, selection).stream().filter(visible).toList(), limit);
        return request.pageReverse() ? new Page<>(page.items().reversed(), page.more()) : page;
    }

    // Keyset paging: rows strictly after the marker in the list's order, whatever its keys' directions.
    private String after(Handle h, ResourceDefinition<?> definition, String alias, String marker, Scope scope,
                         List<String> keys, List<Boolean> ascending, Map<String, Object> params) {
        var query = h.createQuery("SELECT " + String.join(", ", keys) + " FROM " + definition.table() + " " + alias
                + " WHERE " + alias + ".id = :marker AND (" + scope.sql() + ")").bind("marker", marker);
        scope.params().forEach(query::bind);
        Optional<Map<String, Object>> row = query.map((rs, ctx) -> {
            Map<String, Object> values = new HashMap<>();
            for (int i = 0; i < keys.size(); i++) {
                values.put("m" + i, rs.getObject(i + 1));
            }
            return values;
        }).findFirst();
        // Neutron refuses a marker the caller cannot see: ignoring it would answer another page than asked.
        params.putAll(row.orElseThrow(() -> new ApiException(400, "HTTPBadRequest", "Marker " + marker
                + " could not be found.")));
        List<String> alternatives = new ArrayList<>();
        for (int i = 0; i < keys.size(); i++) {
            StringBuilder alternative = new StringBuilder("(");
            for (int j = 0; j < i; j++) {
                alternative.append(keys.get(j)).append(" = :m").append(j).append(" AND ");
            }
            alternative.append(keys.get(i)).append(ascending.get(i) ? " > :m" : " < :m").append(i).append(')');
            alternatives.add(alternative.toString());
        }
        return "(" + String.join(" OR ", alternatives) + ")";
    }

    private String filter(ResourceDefinition<?> definition, String alias, String name, List<String> values,
                          Map<String, Object> params) {
        if (ListRequest.TAG_FILTERS.contains(name)) {
            return tags(alias, name, values, params);
        }
        Query query = definition.attribute(name).orElseThrow().query().orElseThrow();
        List<String> any = new ArrayList<>();
        for (String value : values) {
            String param = "f" + params.size();
            switch (query) {
                case Query.Column column -> bound(column.kind(), value).ifPresentOrElse(v -> {
                    params.put(param, v);
                    any.add(expression(column, alias) + " = :" + param);
                }, () -> any.add("FALSE"));
                case Query.Within within -> {
                    int eq = value.indexOf('=');
                    Optional<String> key = eq > 0 ? Optional.ofNullable(within.keys().get(value.substring(0, eq)))
                            : Optional.ofNullable(within.keys().get(""));
                    String wanted = eq > 0 && within.keys().containsKey(value.substring(0, eq)) ? value.substring(eq + 1) : value;
                    boolean partial = eq > 0 && within.partial().contains(value.substring(0, eq));
                    key.ifPresentOrElse(column -> {
                        params.put(param, partial ? "%" + likeEscaped(wanted) + "%" : within.bind().apply(wanted));
                        any.add("EXISTS (SELECT 1 FROM " + within.table() + " w WHERE w." + within.owner() + " = "
                                + alias + ".id AND w." + column + (partial ? " LIKE :" + param + " ESCAPE '\\'"
                                : " = :" + param) + ")");
                    }, () -> any.add("FALSE"));
                }
            }
        }
        return "(" + String.join(" OR ", any) + ")";
    }

    // A text matched literally inside LIKE: its own % and _ are not wildcards.
    private static String likeEscaped(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    private static String tags(String alias, String filter, List<String> values, Map<String, Object> params) {
        List<String> wanted = values.stream().flatMap(v -> java.util.Arrays.stream(v.split(","))).distinct().toList();
        List<String> each = new ArrayList<>();
        for (String tag : wanted) {
            String param = "f" + params.size();
            params.put(param, tag);
            each.add("EXISTS (SELECT 1 FROM network_tag t WHERE t.resource_id = " + alias + ".id AND t.tag = :" + param + ")");
        }
        String all = each.isEmpty() ? "TRUE" : String.join(" AND ", each);
        String any = each.isEmpty() ? "FALSE" : String.join(" OR ", each);
        return switch (filter) {
            case "tags" -> "(" + all + ")";
            case "tags-any" -> "(" + any + ")";
            case "not-tags" -> "NOT (" + all + ")";
            default -> "NOT (" + any + ")";
        };
    }

    // A filter value as the column holds it; empty when no row can match it (a word for a number).
    private static Optional<Object> bound(Query.Kind kind, String value) {
        return switch (kind) {
            case TEXT -> Optional.of(value);
            case BOOLEAN -> Optional.of(value.equalsIgnoreCase("true") || value.equals("1"));
            case INTEGER -> {
                try {
                    yield Optional.of(Long.parseLong(value));
                } catch (NumberFormatException e) {
                    yield Optional.empty();
                }
            }
            case TIME -> {
                try {
                    yield Optional.of(Timestamp.from(Instant.parse(value)));
                } catch (DateTimeParseException e) {
                    yield Optional.empty();
                }
            }
        };
    }

    static String expression(Query.Column column, String alias) {
        return column.sql().matches("[a-z_]+") ? alias + "." + column.sql() : column.sql().replace("$.", alias + ".");
    }

    private String sortable(Query.Column column, String alias) {
        return expression(column, alias) + collated(column.kind());
    }

    private String collated(Query.Kind kind) {
        return postgres && kind == Query.Kind.TEXT ? " COLLATE \"C\"" : "";
    }
}
