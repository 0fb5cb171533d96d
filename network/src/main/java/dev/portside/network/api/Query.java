package dev.portside.network.api;

import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/** How a list filter on an attribute is answered in SQL. */
public sealed interface Query {
    /** The SQL type of a filter value: how {@code ?admin_state_up=true} is bound. */
    enum Kind { TEXT, BOOLEAN, INTEGER, TIME }

    /** A column (or expression; {@code $.} stands for the table alias) of the resource's own row; sortable. */
    record Column(String sql, Kind kind) implements Query {
    }

    /**
     * Rows beside the resource's, matched with EXISTS: {@code table} holds them, {@code owner} is its
     * column naming the resource. A filter value {@code key=value} (as {@code fixed_ips=ip_address=X})
     * picks the column {@code keys} names for {@code key}; a plain value matches {@code keys.get("")};
     * {@code bind} turns the value as written into the column's (an ethertype's "0x8847" into 34887).
     * The keys in {@code partial} match a part of the column's text (Neutron's
     * {@code fixed_ips=ip_address_substr=10.0.0}).
     */
    record Within(String table, String owner, Map<String, String> keys, Function<String, Object> bind,
                  Set<String> partial) implements Query {
        public Within(String table, String owner, Map<String, String> keys) {
            this(table, owner, keys, value -> value, Set.of());
        }

        public Within(String table, String owner, Map<String, String> keys, Function<String, Object> bind) {
            this(table, owner, keys, bind, Set.of());
        }

        /** This, with {@code key} matching any part of {@code column}'s text. */
        public Within matchingPart(String key, String column) {
            Map<String, String> more = new java.util.HashMap<>(keys);
            more.put(key, column);
            Set<String> parts = new java.util.HashSet<>(partial);
            parts.add(key);
            return new Within(table, owner, Map.copyOf(more), bind, Set.copyOf(parts));
        }
    }
}
