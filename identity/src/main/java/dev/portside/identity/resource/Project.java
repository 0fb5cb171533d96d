package dev.portside.identity.resource;

import java.util.List;
import java.util.Optional;

/** A Keystone project; top-level only, so its parent is its domain (as Keystone reports it). */
public record Project(String id, String domainId, String name, Optional<String> description, boolean enabled,
                      List<String> tags) {
    public Project {
        tags = List.copyOf(tags);
    }
}
