package dev.portside.network.trunk;

import dev.portside.network.api.StandardResource;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A Neutron trunk: a parent port ({@code portId}) whose link carries its own frames untagged and each
 * sub-port's frames tagged with that sub-port's segmentation id, for VLAN-aware instances. Its status
 * is one of {@link #DOWN}, {@link #BUILD}, {@link #ACTIVE}, {@link #DEGRADED} and {@link #ERROR}, as
 * Neutron reports them.
 */
public record Trunk(String id, String projectId, String name, String description, boolean adminStateUp, String status,
                    String portId, List<SubPort> subPorts, Instant createdAt, Instant updatedAt, long revisionNumber)
        implements StandardResource {
    public static final String DOWN = "DOWN";
    public static final String BUILD = "BUILD";
    public static final String ACTIVE = "ACTIVE";
    public static final String DEGRADED = "DEGRADED";
    public static final String ERROR = "ERROR";

    public Trunk {
        subPorts = List.copyOf(subPorts);
    }

    public Map<String, String> target() {
        return Map.of("project_id", projectId);
    }

    /** The same trunk with other sub-ports (or the same), a new status, and its revision moved on. */
    public Trunk changed(String newName, String newDescription, boolean newAdminStateUp, String newStatus,
                         List<SubPort> newSubPorts, Instant now) {
        return new Trunk(id, projectId, newName, newDescription, newAdminStateUp, newStatus, portId, newSubPorts,
                createdAt, now, revisionNumber + 1);
    }
}
