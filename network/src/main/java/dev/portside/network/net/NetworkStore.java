package dev.portside.network.net;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Networks in the database. */
public final class NetworkStore {
    private static final RowMapper<Network> NETWORK = (rs, ctx) -> new Network(rs.getString("id"),
            rs.getString("project_id"), rs.getString("name"), rs.getString("description"),
            rs.getBoolean("admin_state_up"), rs.getBoolean("shared"), rs.getInt("mtu"),
            rs.getBoolean("port_security_enabled"), rs.getTimestamp("created_at").toInstant(),
            rs.getTimestamp("updated_at").toInstant(), rs.getLong("revision_number"));

    public Optional<Network> find(Handle h, String id) {
        return h.createQuery("SELECT * FROM network_network WHERE id = :id").bind("id", id).map(NETWORK).findOne();
    }

    /** The network, locked until the transaction ends: for updates, and to serialise work on its ports. */
    public Optional<Network> lock(Handle h, String id) {
        return h.createQuery("SELECT * FROM network_network WHERE id = :id FOR UPDATE").bind("id", id).map(NETWORK).findOne();
    }

    /** Networks a project may see: its own and shared ones; every network for an admin. */
    public List<Network> visible(Handle h, Optional<String> projectId) {
        return h.createQuery("SELECT * FROM network_network WHERE CAST(:project AS VARCHAR) IS NULL"
                        + " OR project_id = :project OR shared ORDER BY created_at, id")
                .bind("project", projectId.orElse(null)).map(NETWORK).list();
    }

    public void insert(Handle h, Network n) {
        h.createUpdate("INSERT INTO network_network (id, project_id, name, description, admin_state_up, shared, mtu,"
                        + " port_security_enabled, created_at, updated_at, revision_number) VALUES (:id, :project, :name,"
                        + " :description, :up, :shared, :mtu, :security, :created, :updated, :revision)")
                .bind("id", n.id()).bind("project", n.projectId()).bind("name", n.name())
                .bind("description", n.description()).bind("up", n.adminStateUp()).bind("shared", n.shared())
                .bind("mtu", n.mtu()).bind("security", n.portSecurityEnabled()).bind("created", n.createdAt())
                .bind("updated", n.updatedAt()).bind("revision", n.revisionNumber())
                .execute();
    }

    public void update(Handle h, Network n) {
        h.createUpdate("UPDATE network_network SET name = :name, description = :description, admin_state_up = :up,"
                        + " shared = :shared, mtu = :mtu, port_security_enabled = :security, updated_at = :updated,"
                        + " revision_number = :revision WHERE id = :id")
                .bind("id", n.id()).bind("name", n.name()).bind("description", n.description())
                .bind("up", n.adminStateUp()).bind("shared", n.shared()).bind("mtu", n.mtu())
                .bind("security", n.portSecurityEnabled()).bind("updated", n.updatedAt())
                .bind("revision", n.revisionNumber())
                .execute();
    }

    public void delete(Handle h, String id) {
        h.createUpdate("DELETE FROM network_network WHERE id = :id").bind("id", id).execute();
    }

    public static Instant now(java.time.Clock clock) {
        return clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    }
}
