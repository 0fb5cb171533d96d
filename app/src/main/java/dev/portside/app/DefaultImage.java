package dev.portside.app;

import java.nio.charset.StandardCharsets;

/**
 * The image Portside ships so a new user can boot at once. Instances on this host are network
 * namespaces that run the host's own programs under Portside's instance init, so no disk image is
 * needed: the image's data only says so, for whoever downloads it.
 */
final class DefaultImage {
    static final String NAME = "portside-ns";
    /** Marks it for namespace hosts, as Nova's ImagePropertiesFilter reads hypervisor_type. */
    static final java.util.Map<String, String> PROPERTIES = java.util.Map.of("hypervisor_type",
            dev.portside.compute.virt.NamespaceDriver.HYPERVISOR_TYPE);

    private DefaultImage() {
    }

    static byte[] data() {
        return """
                Portside namespace instance.
                The namespace driver runs each instance in a network namespace on the host, with the host's
                programs: its init applies the config drive (network_data.json, meta_data.json) and runs sshd.
                """.getBytes(StandardCharsets.UTF_8);
    }
}
