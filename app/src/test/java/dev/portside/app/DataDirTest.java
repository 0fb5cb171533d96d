package dev.portside.app;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;

/** Nothing in the data directory is readable by other local users, whatever the umask or an operator did. */
class DataDirTest {
    @TempDir
    Path parent;

    @Test
    void aNewDataDirectoryIsPrivate() throws Exception {
        Path dir = DataDir.prepare(parent.resolve("new"));

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
    }

    @Test
    void aDirectoryAndDatabaseLeftOpenToOthersAreClosedAgain() throws Exception {
        Path dir = parent.resolve("open");
        Files.createDirectories(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path database = Files.writeString(dir.resolve("portside.mv.db"), "keys");
        Files.setPosixFilePermissions(database, PosixFilePermissions.fromString("rw-r--r--"));
        Path images = Files.createDirectories(dir.resolve("images"));
        Files.setPosixFilePermissions(images, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path image = Files.writeString(images.resolve("some-image"), "data");
        Files.setPosixFilePermissions(image, PosixFilePermissions.fromString("rw-rw-rw-"));

        DataDir.prepare(dir);
        DataDir.seal(dir);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(database))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(images))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(image))).isEqualTo("rw-------");
        assertThat(Files.readString(database)).isEqualTo("keys");
    }
}
