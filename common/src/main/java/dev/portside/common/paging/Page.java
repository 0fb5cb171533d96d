package dev.portside.common.paging;

import java.util.List;

/**
 * One page of a list, in the list's order; {@code more} when rows lie beyond it in the direction
 * walked - what each API's "next" link (Neutron's {@code _links}, Glance's {@code next}, Nova's
 * {@code servers_links}) is made from.
 */
public record Page<T>(List<T> items, boolean more) {
    public Page {
        items = List.copyOf(items);
    }

    /**
     * The page after {@code marker} (from the start without one) of at most {@code limit} items of
     * {@code ordered}, for lists ordered in memory; a marker that names no item
     * is {@code unknownMarker}, since ignoring it would answer another page than the client asked for.
     */
    public static <T> Page<T> after(List<T> ordered, java.util.function.Function<T, String> id,
                                    java.util.Optional<String> marker, int limit,
                                    java.util.function.Supplier<? extends RuntimeException> unknownMarker) {
        int start = 0;
        if (marker.isPresent()) {
            start = -1;
            for (int i = 0; i < ordered.size(); i++) {
                if (id.apply(ordered.get(i)).equals(marker.get())) {
                    start = i + 1;
                }
            }
            if (start < 0) {
                throw unknownMarker.get();
            }
        }
        int end = (int) Math.min(ordered.size(), (long) start + limit);
        return new Page<>(ordered.subList(start, end), end < ordered.size());
    }

    /** The first {@code limit} ({@code 0}: all) of {@code rows} read one past it (a query's {@code LIMIT n + 1}). */
    public static <T> Page<T> ofOneMore(List<T> rows, int limit) {
        boolean more = limit > 0 && rows.size() > limit;
        return new Page<>(more ? rows.subList(0, limit) : rows, more);
    }
}
