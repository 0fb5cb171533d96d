package dev.portside.identity.user;

import java.util.Optional;

/** A local Keystone user. Its password hash never leaves {@link UserStore}. */
public record User(String id, String domainId, String name, Optional<String> description, Optional<String> email,
                   boolean enabled, Optional<String> defaultProjectId) {
}
