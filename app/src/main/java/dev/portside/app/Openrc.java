package dev.portside.app;

import dev.portside.identity.Bootstrap.AdminCredentials;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/** The admin's {@code openrc}: the OS_* variables the openstack CLI reads, readable by its owner only. */
final class Openrc {
    private Openrc() {
    }

    static void write(Path file, AdminCredentials admin, String identityUrl, String region) throws IOException {
        String text = """
                # Portside admin credentials: source this file, then use the openstack CLI.
                export OS_AUTH_URL=%s/v3
                export OS_IDENTITY_API_VERSION=3
                export OS_AUTH_TYPE=password
                export OS_USERNAME=%s
                export OS_PASSWORD='%s'
                export OS_PROJECT_NAME=%s
                export OS_USER_DOMAIN_NAME=Default
                export OS_PROJECT_DOMAIN_NAME=Default
                export OS_REGION_NAME=%s
                export OS_INTERFACE=public
                """.formatted(identityUrl, admin.userName(), admin.password(), admin.projectName(), region);
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(temporary);
        // Created 0600 from the start, so the password is never readable by others, even briefly.
        Files.createFile(temporary, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(temporary, text, StandardOpenOption.TRUNCATE_EXISTING);
        Files.move(temporary, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
