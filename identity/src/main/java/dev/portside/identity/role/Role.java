package dev.portside.identity.role;

import java.util.Optional;

/** A global Keystone role (admin, member, reader, ...). */
public record Role(String id, String name, Optional<String> description) {
}
