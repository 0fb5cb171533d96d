package dev.portside.agent;

import dev.portside.common.json.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * OpenStack's config drive: {@code openstack/latest/} with {@code meta_data.json},
 * {@code network_data.json} and {@code user_data}, as a directory (what a namespace instance's init
 * reads) or as the ISO 9660 image labelled {@code config-2} that Nova attaches to a VM.
 */
public final class ConfigDrive {
    public static final String LABEL = "config-2";

    private ConfigDrive() {
    }

    /** Writes the drive's files under {@code root}, replacing what an earlier version wrote. */
    public static void writeTree(Path root, Guest guest) {
        Path latest = root.resolve("openstack").resolve("latest");
        try {
            Files.createDirectories(latest);
            Files.writeString(latest.resolve("meta_data.json"), Json.write(NetworkData.metaData(guest)));
            Files.writeString(latest.resolve("network_data.json"), Json.write(NetworkData.networkData(guest)));
            Files.deleteIfExists(latest.resolve("user_data"));
            if (guest.userData().isPresent()) {
                Files.writeString(latest.resolve("user_data"), guest.userData().get());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the config drive of " + guest.instanceName(), e);
        }
    }

    /** Writes the drive as an ISO 9660 image at {@code iso} (Rock Ridge and Joliet names, as Nova's genisoimage call). */
    public static void writeIso(HostCommands host, Path iso, Guest guest) {
        Path tree = iso.resolveSibling(iso.getFileName() + ".d");
        try {
            writeTree(tree, guest);
            host.run(List.of("genisoimage", "-quiet", "-o", iso.toString(), "-V", LABEL, "-r", "-J", "-l",
                    tree.toString()));
        } finally {
            HostFiles.deleteTree(tree);
        }
    }
}
