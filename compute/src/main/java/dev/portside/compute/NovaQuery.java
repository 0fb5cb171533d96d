package dev.portside.compute;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/** Query parameters as Nova's query schemas read them, with Nova's 400 when they do not parse. */
public final class NovaQuery {
    private NovaQuery() {
    }

    /** An ISO 8601 date-time (Nova's 'date-time' format: a zone offset, or none meaning UTC), as changes-since takes it. */
    public static Instant dateTime(String name, String text) {
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            try {
                return LocalDateTime.parse(text).toInstant(ZoneOffset.UTC);
            } catch (DateTimeParseException again) {
                throw NovaErrors.badRequest("Invalid input for query parameters " + name + ". Value: " + text + ". '"
                        + text + "' is not a 'date-time'");
            }
        }
    }

    /** A non-negative integer (limit, offset), as Nova's query schemas check it. */
    public static int nonNegativeInteger(String name, String text) {
        try {
            int n = Integer.parseInt(text);
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // falls through to Nova's message
        }
        throw NovaErrors.badRequest("Invalid input for query parameters " + name + ". Value: " + text
                + ". '" + text + "' is not a non-negative integer");
    }
}
