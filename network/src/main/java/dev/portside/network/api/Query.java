package dev.portside.network.api;

import java.util.Map;
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
     */
    record Within(String table, String owner, Map<String, String> keys, Function<String, Object> bind) implements Query {
        public Within(String table, String owner, Map<String, String> keys) {
            this(table, owner, keys, value -> value);
        }
    }
}
