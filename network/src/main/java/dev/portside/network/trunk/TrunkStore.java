package dev.portside.network.trunk;

import dev.portside.network.api.Listing;
import org.jdbi.v3.core.Handle;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Trunks and their sub-ports, in the database. */
public final class TrunkStore {

    public Optional<Trunk> find(Handle h, String id) {
        return select(h, new Listing.Selection("t", "WHERE t.id = :id", "", 0, Map.of("id", id))).stream().findFirst();
    }

    /** The trunk, row-locked until the transaction ends: sub-port changes of one trunk happen one at a time. */
    public Optional<Trunk> findForUpdate(Handle h, String id) {
        boolean exists = h.createQuery("SELECT id FROM network_trunk WHERE id = :id FOR UPDATE").bind("id", id)
                .mapTo(String.class).findOne().isPresent();
        return exists ? find(h, id) : Optional.empty();
    }

    /** Which trunks a list starts from: the project's own; all for an admin. */
    public static Listing.Scope scope(Optional<String> projectId) {
        return projectId.map(p -> new Listing.Scope("t.project_id = :project", Map.of("project", p)))
                .orElse(Listing.Scope.ALL);
    }

    /** One page of a list (rows aliased {@code t}), each trunk with its sub-ports. */
    public List<Trunk> select(Handle h, Listing.Selection selection) {
        var query = h.createQuery(selection.select("t.*", "network_trunk"));
        selection.params().forEach(query::bind);
        List<Trunk> trunks = query.map((rs, ctx) -> trunk(rs)).list();
        if (trunks.isEmpty()) {
            return trunks;
        }
        // A page's sub-ports by its trunks' ids; a long list's by the list's own WHERE (a bound id list has a limit).
        boolean byId = trunks.size() <= 1000;
        var subQuery = h.createQuery("SELECT s.* FROM network_trunk_subport s WHERE s.trunk_id IN "
                + (byId ? "(<ids>)" : "(SELECT t.id FROM network_trunk t " + selection.where() + ")")
                + " ORDER BY s.segmentation_type, s.segmentation_id");
        if (byId) {
            subQuery.bindList("ids", trunks.stream().map(Trunk::id).toList());
        } else {
            selection.params().forEach(subQuery::bind);
        }
        Map<String, List<SubPort>> subPorts = new HashMap<>();
        subQuery.map((rs, ctx) -> Map.entry(rs.getString("trunk_id"), subPort(rs))).list()
                .forEach(e -> subPorts.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
        return trunks.stream().map(t -> new Trunk(t.id(), t.projectId(), t.name(), t.description(), t.adminStateUp(),
                t.status(), t.portId(), subPorts.getOrDefault(t.id(), List.of()), t.createdAt(), t.updatedAt(),
                t.revisionNumber())).toList();
    }

    public List<String> allIds(Handle h) {
        return h.createQuery("SELECT id FROM network_trunk ORDER BY id").mapTo(String.class).list();
    }

    /** The trunk whose parent {@code portId} is. */
    public Optional<String> trunkOfParent(Handle h, String portId) {
        return h.createQuery("SELECT id FROM network_trunk WHERE port_id = :port").bind("port", portId)
                .mapTo(String.class).findOne();
    }

    /** The sub-ports of the trunk whose parent {@code portId} is, if it is one. */
    public List<String> subPortsOfParent(Handle h, String portId) {
        return h.createQuery("SELECT s.port_id FROM network_trunk_subport s JOIN network_trunk t ON t.id = s.trunk_id"
                + " WHERE t.port_id = :port ORDER BY s.port_id").bind("port", portId).mapTo(String.class).list();
    }

    /** The trunk {@code portId} is a sub-port of. */
    public Optional<String> trunkOfSubPort(Handle h, String portId) {
        return h.createQuery("SELECT trunk_id FROM network_trunk_subport WHERE port_id = :port").bind("port", portId)
                .mapTo(String.class).findOne();
    }

    public void insert(Handle h, Trunk t) {
        h.createUpdate("INSERT INTO network_trunk (id, project_id, name, description, admin_state_up, status, port_id,"
                        + " created_at, updated_at, revision_number) VALUES (:id, :project, :name, :description, :up,"
                        + " :status, :port, :created, :updated, :revision)")
                .bind("id", t.id()).bind("project", t.projectId()).bind("name", t.name())
                .bind("description", t.description()).bind("up", t.adminStateUp()).bind("status", t.status())
                .bind("port", t.portId()).bind("created", t.createdAt()).bind("updated", t.updatedAt())
                .bind("revision", t.revisionNumber()).execute();
        t.subPorts().forEach(s -> addSubPort(h, t.id(), s));
    }

    /** The trunk's own columns; its sub-ports change with {@link #addSubPort} and {@link #removeSubPort}. */
    public void update(Handle h, Trunk t) {
        h.createUpdate("UPDATE network_trunk SET name = :name, description = :description, admin_state_up = :up,"
                        + " status = :status, updated_at = :updated, revision_number = :revision WHERE id = :id")
                .bind("id", t.id()).bind("name", t.name()).bind("description", t.description())
                .bind("up", t.adminStateUp()).bind("status", t.status()).bind("updated", t.updatedAt())
                .bind("revision", t.revisionNumber()).execute();
    }

    public void delete(Handle h, String id) {
        h.createUpdate("DELETE FROM network_trunk WHERE id = :id").bind("id", id).execute();
    }

    public void addSubPort(Handle h, String trunkId, SubPort s) {
        h.createUpdate("INSERT INTO network_trunk_subport (port_id, trunk_id, segmentation_type, segmentation_id)"
                        + " VALUES (:port, :trunk, :type, :segment)")
                .bind("port", s.portId()).bind("trunk", trunkId).bind("type", s.segmentationType())
                .bind("segment", s.segmentationId()).execute();
    }

    public void removeSubPort(Handle h, String portId) {
        h.createUpdate("DELETE FROM network_trunk_subport WHERE port_id = :port").bind("port", portId).execute();
    }

    private static Trunk trunk(ResultSet rs) throws SQLException {
        return new Trunk(rs.getString("id"), rs.getString("project_id"), rs.getString("name"), rs.getString("description"),
                rs.getBoolean("admin_state_up"), rs.getString("status"), rs.getString("port_id"), List.of(),
                rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("updated_at").toInstant(),
                rs.getLong("revision_number"));
    }

    private static SubPort subPort(ResultSet rs) throws SQLException {
        return new SubPort(rs.getString("port_id"), rs.getString("segmentation_type"), rs.getInt("segmentation_id"));
    }
}
