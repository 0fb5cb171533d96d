package dev.portside.network.port;

import dev.portside.network.NeutronErrors;

import java.security.SecureRandom;
import java.util.Locale;
import java.util.regex.Pattern;

/** MAC addresses for ports: given ones checked and normalised; new ones under the configured base (Neutron's base_mac). */
public final class MacAddresses {
    private static final Pattern MAC = Pattern.compile("([0-9a-fA-F]{2}[:-]){5}[0-9a-fA-F]{2}");
    private final String prefix;
    private final SecureRandom random = new SecureRandom();

    /** {@code baseMac} as Neutron's: its first three octets are kept, the last three are random. */
    public MacAddresses(String baseMac) {
        this.prefix = normalise("base_mac", baseMac).substring(0, 9);
    }

    public String generate() {
        return prefix + String.format("%02x:%02x:%02x", random.nextInt(256), random.nextInt(256), random.nextInt(256));
    }

    public static String normalise(String attribute, String mac) {
        if (!MAC.matcher(mac).matches()) {
            throw NeutronErrors.invalidAttribute(attribute, "'" + mac + "' is not a valid MAC address.");
        }
        String normal = mac.toLowerCase(Locale.ROOT).replace('-', ':');
        int first = Integer.parseInt(normal.substring(0, 2), 16);
        if (normal.equals("00:00:00:00:00:00") || (first & 1) == 1) {
            throw NeutronErrors.invalidAttribute(attribute, "'" + mac + "' is not a valid unicast MAC address.");
        }
        return normal;
    }
}
