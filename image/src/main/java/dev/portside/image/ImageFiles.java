package dev.portside.image;

import dev.portside.common.http.ApiException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Image data on local disk, one file per image named by its id. An upload streams to a temporary
 * file while it is hashed (MD5 for Glance's legacy {@code checksum}, SHA-512 for
 * {@code os_hash_value}) and is moved into place only when complete, so a reader never sees half a
 * file.
 */
public final class ImageFiles {
    static final String HASH_ALGO = "sha512";
    private static final int BUFFER = 64 * 1024;

    private final Path directory;
    private final long sizeCap;

    /** What an upload wrote. */
    record Stored(Path temporary, long size, String md5, String sha512) {
    }

    ImageFiles(Path directory, long sizeCap) {
        this.directory = directory;
        this.sizeCap = sizeCap;
        try {
            Files.createDirectories(directory,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the image store " + directory, e);
        }
    }

    Path path(String imageId) {
        return directory.resolve(imageId);
    }

    /** Streams {@code data} to a temporary file; more than the size cap is a 413 and leaves nothing behind. */
    Stored receive(String imageId, InputStream data) {
        Path temporary = directory.resolve(imageId + ".part-" + java.util.UUID.randomUUID());
        try {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            MessageDigest sha512 = MessageDigest.getInstance("SHA-512");
            long size = 0;
            // Private from the start, whatever the umask: image data is the owner's (docs/security.md).
            Files.createFile(temporary, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try (OutputStream out = Files.newOutputStream(temporary, StandardOpenOption.WRITE)) {
                byte[] buffer = new byte[BUFFER];
                int read;
                while ((read = data.read(buffer)) != -1) {
                    size += read;
                    if (size > sizeCap) {
                        throw new ApiException(413, "RequestEntityTooLarge",
                                "Image exceeds the storage quota: the image size cap is " + sizeCap + " bytes.");
                    }
                    md5.update(buffer, 0, read);
                    sha512.update(buffer, 0, read);
                    out.write(buffer, 0, read);
                }
            }
            return new Stored(temporary, size, HexFormat.of().formatHex(md5.digest()),
                    HexFormat.of().formatHex(sha512.digest()));
        } catch (IOException e) {
            discard(temporary);
            throw new UncheckedIOException(e);
        } catch (RuntimeException e) {
            discard(temporary);
            throw e;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has MD5 and SHA-512", e);
        }
    }

    void keep(String imageId, Stored stored) {
        try {
            Files.move(stored.temporary(), path(imageId), StandardCopyOption.REPLACE_EXISTING,
                    StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Removes every upload's temporary file: at start-up, when no upload can be running. */
    void discardPartials() {
        try (var files = Files.newDirectoryStream(directory, "*.part-*")) {
            for (Path file : files) {
                discard(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void discard(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
