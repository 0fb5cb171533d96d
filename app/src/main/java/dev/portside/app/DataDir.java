package dev.portside.app;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The data directory holds the database (with the token signing key), image data and the admin's
 * openrc: nothing in it is for other local users. It is made 0700 and its files 0600 whatever the
 * umask, and a directory or file an operator left open to others is closed again at start-up, with a
 * warning naming it, rather than refused: the fix is unambiguous and refusing would only make the
 * operator type the same chmod.
 */
final class DataDir {
    private static final Logger LOG = LoggerFactory.getLogger(DataDir.class);
    private static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OTHERS = EnumSet.of(PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

    private DataDir() {
    }

    /** Makes the directory (0700) or closes an existing one to others; fails when it cannot be written. */
    static Path prepare(Path dataDir) {
        try {
            if (!Files.isDirectory(dataDir)) {
                Files.createDirectories(dataDir, PosixFilePermissions.asFileAttribute(DIRECTORY));
            }
            if (!Files.isWritable(dataDir)) {
                throw new StartupException("the data directory " + dataDir + " is not writable");
            }
            close(dataDir, DIRECTORY);
            return dataDir;
        } catch (IOException e) {
            throw new StartupException("cannot create the data directory " + dataDir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Closes to others every file and directory in the data directory, the database's files among
     * them (H2 creates them with the process's umask). Instance directories are the host agent's and
     * are left as it made them; the data directory's own mode already keeps others out.
     */
    static void seal(Path dataDir) {
        for (Path path : entries(dataDir)) {
            close(path, Files.isDirectory(path) ? DIRECTORY : FILE);
            if (Files.isDirectory(path) && path.getFileName().toString().equals("images")) {
                entries(path).forEach(file -> close(file, FILE));
            }
        }
    }

    private static List<Path> entries(Path directory) {
        try (Stream<Path> list = Files.list(directory)) {
            return list.filter(p -> !Files.isSymbolicLink(p)).toList();
        } catch (IOException e) {
            throw new StartupException("cannot read the data directory " + directory + ": " + e.getMessage(), e);
        }
    }

    private static void close(Path path, Set<PosixFilePermission> wanted) {
        try {
            Set<PosixFilePermission> now = Files.getPosixFilePermissions(path);
            if (now.stream().anyMatch(OTHERS::contains)) {
                Files.setPosixFilePermissions(path, wanted);
                LOG.warn("{} was open to other users ({}); made it {}", path, PosixFilePermissions.toString(now),
                        PosixFilePermissions.toString(wanted));
            }
        } catch (IOException e) {
            throw new StartupException("cannot make " + path + " private: " + e.getMessage(), e);
        }
    }
}
