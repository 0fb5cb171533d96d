package dev.portside.identity.resource;

import java.util.Optional;

/** A Keystone domain: the namespace of users and projects. Portside bootstraps "default". */
public record Domain(String id, String name, Optional<String> description, boolean enabled) {
    public static final String DEFAULT_ID = "default";
}
