package dev.portside.agent.qemu;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portside.agent.AgentException;
import dev.portside.agent.HostCommands;
import dev.portside.common.json.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Instance disks as Nova's image backend makes them: the image's data copied once into a cache of
 * bases ({@code _base/<image id>}, checked before first use), and per instance a qcow2 overlay on that
 * base, grown to the flavor's root disk. What the image service calls a disk is checked against what
 * the data is: a mismatch, a qcow2 that points at other files, or data with no boot sector is refused
 * before any guest sees it.
 */
public final class DiskImages {
    /** The formats a guest boots from; Glance's other disk formats are refused by name. */
    public static final Set<String> FORMATS = Set.of("qcow2", "raw");
    private static final long GIB = 1L << 30;

    private final HostCommands host;
    private final Path bases;
    private final ConcurrentHashMap<String, Object> locks = new ConcurrentHashMap<>();

    public DiskImages(HostCommands host, Path bases) {
        this.host = host;
        this.bases = bases;
    }

    /** A checked base: its file, format and the size the guest sees. */
    public record Base(Path file, String format, long virtualSize) {
    }

    /** The cached base of an image, made from {@code data} the first time; throws with why the data cannot boot. */
    public Base base(String imageId, Path data, String diskFormat) {
        if (!FORMATS.contains(diskFormat)) {
            throw new AgentException("Image " + imageId + " has disk_format " + diskFormat
                    + "; this host boots qcow2 and raw images.");
        }
        synchronized (locks.computeIfAbsent(imageId, id -> new Object())) {
            Path file = bases.resolve(imageId);
            if (!Files.exists(file)) {
                Path part = bases.resolve(imageId + ".part");
                try {
                    Files.createDirectories(bases);
                    Files.copy(data, part, StandardCopyOption.REPLACE_EXISTING);
                    check(imageId, part, diskFormat);
                    Files.move(part, file, StandardCopyOption.ATOMIC_MOVE);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot cache image " + imageId, e);
                } finally {
                    try {
                        Files.deleteIfExists(part);
                    } catch (IOException e) {
                        // Removed on the next attempt.
                    }
                }
            }
            return check(imageId, file, diskFormat);
        }
    }

    /** Makes the instance's disk: a qcow2 overlay on the base, {@code rootGb} large (0: the image's own size). */
    public void overlay(Base base, Path disk, int rootGb) {
        long size = rootGb > 0 ? rootGb * GIB : base.virtualSize();
        if (size < base.virtualSize()) {
            throw new AgentException("Flavor's disk is too small for requested image. Flavor disk is " + size
                    + " bytes, image is " + base.virtualSize() + " bytes.");
        }
        host.run(List.of("qemu-img", "create", "-q", "-f", "qcow2", "-F", base.format(), "-b", base.file().toString(),
                disk.toString(), String.valueOf(size)));
    }

    /** Removes cached bases no instance's disk is made on. */
    public void removeUnused(Set<String> imagesInUse) {
        if (!Files.isDirectory(bases)) {
            return;
        }
        try (var files = Files.list(bases)) {
            for (Path file : files.toList()) {
                if (!imagesInUse.contains(file.getFileName().toString())) {
                    Files.deleteIfExists(file);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Base check(String imageId, Path file, String diskFormat) {
        // qemu-img probes the format from the data; a declared raw that is really qcow2 is the classic trap.
        JsonNode info = Json.parseObject(host.run(List.of("qemu-img", "info", "--output=json", file.toString())));
        String actual = info.path("format").asText();
        if (!actual.equals(diskFormat)) {
            throw new AgentException("Image " + imageId + " has disk_format " + diskFormat + " but its data is "
                    + actual + ".");
        }
        if (info.has("backing-filename") || info.path("format-specific").path("data").has("data-file")) {
            throw new AgentException("Image " + imageId + " refers to other files (a backing or data file); "
                    + "upload a self-contained image.");
        }
        long virtualSize = info.path("virtual-size").asLong();
        if (!bootSector(file, actual)) {
            throw new AgentException("Image " + imageId + " is not a bootable disk: its first sector has no boot "
                    + "signature.");
        }
        return new Base(file, actual, virtualSize);
    }

    private boolean bootSector(Path file, String format) {
        Path sector = file.resolveSibling(file.getFileName() + ".sector");
        try {
            Path raw = file;
            if (!format.equals("raw")) {
                host.run(List.of("qemu-img", "dd", "-f", format, "-O", "raw", "bs=512", "count=1", "if=" + file,
                        "of=" + sector));
                raw = sector;
            }
            byte[] first = new byte[512];
            try (InputStream in = Files.newInputStream(raw)) {
                if (in.readNBytes(first, 0, 512) < 512) {
                    return false;
                }
            }
            return (first[510] & 0xff) == 0x55 && (first[511] & 0xff) == 0xaa;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            try {
                Files.deleteIfExists(sector);
            } catch (IOException e) {
                // A scratch file; the next check overwrites it.
            }
        }
    }
}
