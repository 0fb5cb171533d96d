package dev.portside.identity;

import dev.portside.common.http.ApiException;
import io.javalin.http.Context;

import java.util.Locale;
import java.util.Optional;

/** Query-string filters as Keystone reads them. */
public final class Queries {
    private Queries() {
    }

    public static Optional<String> text(Context ctx, String name) {
        return Optional.ofNullable(ctx.queryParam(name));
    }

    /** Keystone's boolean filters accept true/false, 1/0, yes/no in any case. */
    public static Optional<Boolean> bool(Context ctx, String name) {
        String value = ctx.queryParam(name);
        if (value == null) {
            return Optional.empty();
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true", "1", "yes", "on", "" -> Optional.of(true);
            case "false", "0", "no", "off" -> Optional.of(false);
            default -> throw ApiException.badRequest("Invalid input for query parameter '" + name + "': '" + value
                    + "' is not a boolean.");
        };
    }
}
