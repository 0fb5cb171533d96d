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
 * <p>The maximum is 2.46. Portside follows every change up to it that touches what it serves (key
 * pair types at 2.2, extended attributes at 2.3, {@code locked} at 2.9, key pair user_id at 2.10,
 * {@code host_status} at 2.16, server descriptions at 2.19, deleted servers' instance actions at
 * 2.21, {@code tags} at 2.26, device tags on networks at 2.32, the proxies' end at 2.36, required
 * {@code networks} at 2.37, the status filter checked at 2.38, image metadata's quota gone at 2.39,
 * device tags back at 2.42, {@code os-virtual-interfaces} gone at 2.44, snapshot ids in the body at
 * 2.45, both request id headers at 2.46); 2.47 would embed the flavor in a server, not done yet.
 */
public record Microversion(int major, int minor) implements Comparable<Microversion> {
    public static final Microversion MIN = new Microversion(2, 1);
    public static final Microversion MAX = new Microversion(2, 46);
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
