package dev.portside.network.l3;

import dev.portside.network.api.StandardResource;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * A Neutron floating IP: an address on an external network, held by a port of its own there, and,
 * while associated, translated by a router to one fixed address of an instance's port (DNAT in,
 * SNAT out). Its status is ACTIVE while associated, DOWN while not.
 */
public record FloatingIp(String id, String projectId, String description, String floatingNetworkId,
                         String floatingPortId, String floatingIpAddress, Optional<Association> association,
                         String status, Instant createdAt, Instant updatedAt, long revisionNumber)
        implements StandardResource {
    public static final String ACTIVE = "ACTIVE";
    public static final String DOWN = "DOWN";

    /** The fixed address of a port the floating IP stands for, and the router that translates between them. */
    public record Association(String portId, String fixedIpAddress, String routerId) {
    }

    public Map<String, String> target() {
        return Map.of("project_id", projectId);
    }

    public FloatingIp changed(String newDescription, Optional<Association> newAssociation, Instant now) {
        return new FloatingIp(id, projectId, newDescription, floatingNetworkId, floatingPortId, floatingIpAddress,
                newAssociation, newAssociation.isPresent() ? ACTIVE : DOWN, createdAt, now, revisionNumber + 1);
    }
}
