package dev.portside.app;

import java.nio.charset.StandardCharsets;

/**
 * The image Portside ships so a new user can boot at once. Instances on this host are Linux network
 * namespaces running the host's own programs, so the image holds no disk: it is the small init
 * script an instance runs.
 */
final class DefaultImage {
    static final String NAME = "portside-ns";

    private DefaultImage() {
    }

    static byte[] data() {
        return """
                #!/bin/sh
                # Portside namespace instance. The host agent wires the instance's interfaces (addressed
                # ones from network_data.json, unaddressed ones up with no address) before this runs.
                exec sleep infinity
                """.getBytes(StandardCharsets.UTF_8);
    }
}
