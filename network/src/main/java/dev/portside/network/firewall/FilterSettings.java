package dev.portside.network.firewall;

import java.time.Duration;

/**
 * The operator's choices for port filtering on this host (docs/configuration.md).
 *
 * @param unaddressed      how a port without addresses but with port security is filtered
 * @param macLearningLimit how many source MACs a port without port security may use at once (0: no limit)
 * @param macAgeing        how long a source MAC counts (and the bridge remembers it) after its last frame
 */
public record FilterSettings(Unaddressed unaddressed, int macLearningLimit, Duration macAgeing) {
    /** Linux's and 802.1D's default ageing; a limit that lets a small virtual switch or router through. */
    public static final FilterSettings DEFAULTS = new FilterSettings(Unaddressed.MAC, 256, Duration.ofSeconds(300));

    public FilterSettings {
        if (macLearningLimit < 0) {
            throw new IllegalArgumentException("mac_learning_limit must be 0 (no limit) or more");
        }
        if (macAgeing.toSeconds() < 1) {
            throw new IllegalArgumentException("mac_ageing_time must be at least 1 second");
        }
    }

    /** The filtering of a port with port security and no addresses. */
    public enum Unaddressed {
        /** Portside's: only the port's MACs may send; ARP, IPv4 and IPv6 from any address, subject to its rules. */
        MAC("mac"),
        /** OpenStack's in-tree firewalls: the port may send no ARP and no IP, having no address to send from. */
        IN_TREE("in-tree");

        private final String setting;

        Unaddressed(String setting) {
            this.setting = setting;
        }

        /** The value of unaddressed_port_security in the config file. */
        public String setting() {
            return setting;
        }

        public static java.util.Optional<Unaddressed> of(String setting) {
            return java.util.Arrays.stream(values()).filter(u -> u.setting.equals(setting)).findFirst();
        }
    }
}
