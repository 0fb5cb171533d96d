package dev.portside.compute;

import dev.portside.common.http.ApiException;
import io.javalin.http.Context;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A compute API microversion. Clients ask with {@code OpenStack-API-Version: compute 2.x} (or the
 * older {@code X-OpenStack-Nova-API-Version: 2.x}); no header means 2.1, "latest" the maximum.
 * Every response says which version answered, in both headers.
 *
 * <p>The maximum is 2.79, Nova's in Train. Portside follows every change up to it that touches what
 * it serves; the README lists them. The ones about resources it does not serve (volumes, cells,
 * migrations, diagnostics, quota classes) change nothing here.
 */
public record Microversion(int major, int minor) implements Comparable<Microversion> {
    public static final Microversion MIN = new Microversion(2, 1);
    public static final Microversion MAX = new Microversion(2, 79);
    private static final Pattern VERSION = Pattern.compile("(\\d+)\\.(\\d+)");
    private static final String ATTRIBUTE = "portside.compute.microversion";

    /** Reads the version a request asks for, refusing one outside the range with 406 as Nova does. */
    public static Microversion negotiate(Context ctx) {
        String asked = null;
        String header = ctx.header("OpenStack-API-Version");
        if (header != null) {
            for (String part : header.split(",")) {
                String[] words = part.trim().split("\\s+");
                if (words.length == 2 && words[0].equalsIgnoreCase("compute")) {
                    asked = words[1];
                }
            }
        }
        if (asked == null) {
            asked = ctx.header("X-OpenStack-Nova-API-Version");
        }
        Microversion version = asked == null ? MIN : parse(asked.trim());
        ctx.attribute(ATTRIBUTE, version);
        ctx.header("OpenStack-API-Version", "compute " + version);
        ctx.header("X-OpenStack-Nova-API-Version", version.toString());
        ctx.header("Vary", "OpenStack-API-Version, X-OpenStack-Nova-API-Version");
        return version;
    }

    private static Microversion parse(String text) {
        if (text.toLowerCase(Locale.ROOT).equals("latest")) {
            return MAX;
        }
        Matcher matcher = VERSION.matcher(text);
        if (!matcher.matches()) {
            throw ApiException.badRequest("Invalid API version request string " + text + ".");
        }
        // A number past int's range is a version past the maximum, as it is to Nova (Python ints).
        Microversion version = fits(matcher.group(1)) && fits(matcher.group(2))
                ? new Microversion(Integer.parseInt(matcher.group(1)), Integer.parseInt(matcher.group(2))) : null;
        if (version == null || version.compareTo(MIN) < 0 || version.compareTo(MAX) > 0) {
            throw new ApiException(406, "NotAcceptable", "Version " + text + " is not supported by the API. Minimum is "
                    + MIN + " and maximum is " + MAX + ".");
        }
        return version;
    }

    private static boolean fits(String digits) {
        return digits.length() < 10;
    }

    /** The version this request negotiated. */
    public static Microversion of(Context ctx) {
        Microversion version = ctx.attribute(ATTRIBUTE);
        return version == null ? MIN : version;
    }

    public boolean atLeast(int minorVersion) {
        return minor >= minorVersion;
    }

    @Override
    public int compareTo(Microversion other) {
        return major != other.major ? Integer.compare(major, other.major) : Integer.compare(minor, other.minor);
    }

    @Override
    public String toString() {
        return major + "." + minor;
    }
}
