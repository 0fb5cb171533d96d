package dev.portside.network.api;

import java.time.Instant;

/** What every Neutron resource with standard attributes has: owner, description, timestamps, revision. */
public interface StandardResource {
    String id();

    String projectId();

    String description();

    Instant createdAt();

    Instant updatedAt();

    long revisionNumber();
}
