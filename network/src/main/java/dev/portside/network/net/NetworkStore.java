package dev.portside.network.net;

import dev.portside.network.api.Listing;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Networks in the database. */
public final class NetworkStore {
    // A network's row and, in the same statement, its subnets' ids (in the order they were made).
    private static final String COLUMNS = "n.*, (SELECT ARRAY_AGG(s.id ORDER BY s.created_at, s.id) FROM network_subnet s"
            + " WHERE s.network_id = n.id) AS subnet_ids";
    private static final RowMapper<Network> NETWORK = (rs, ctx) -> new Network(rs.getString("id"),
            rs.getString("project_id"), rs.getString("name"), rs.getString("description"),
            rs.getBoolean("admin_state_up"), rs.getBoolean("shared"), rs.getBoolean("router_external"), rs.getInt("mtu"),
            rs.getBoolean("port_security_enabled"), ids(rs.getArray("subnet_ids")),
            new Segment(rs.getString("network_type"), Optional.ofNullable(rs.getString("physical_network")),
                    Optional.ofNullable((Integer) rs.getObject("segmentation_id", Integer.class))),
            rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("updated_at").toInstant(),
            rs.getLong("revision_number"));

    private static List<String> ids(java.sql.Array array) throws java.sql.SQLException {
        return array == null ? List.of() : java.util.Arrays.stream((Object[]) array.getArray()).map(String::valueOf).toList();
    }

    public Optional<Network> find(Handle h, String id) {
        return h.createQuery("SELECT " + COLUMNS + " FROM network_network n WHERE n.id = :id").bind("id", id)
                .map(NETWORK).findOne();
    }

    /** The network, locked until the transaction ends: for updates, and to serialise work on its ports. */
    public Optional<Network> lock(Handle h, String id) {
        h.createQuery("SELECT id FROM network_network WHERE id = :id FOR UPDATE").bind("id", id).mapTo(String.class)
                .findOne();
        return find(h, id);
    }

    /** Which networks a list starts from: a project's own, shared and external ones; every network for an admin. */
    public static Listing.Scope scope(Optional<String> projectId) {
        return projectId.map(p -> new Listing.Scope("n.project_id = :project OR n.shared OR n.router_external",
                        Map.of("project", p)))
                .orElse(Listing.Scope.ALL);
    }

    /** One page of a list (rows aliased {@code n}), with each network's subnets. */
    public List<Network> select(Handle h, Listing.Selection selection) {
        var query = h.createQuery(selection.select(COLUMNS, "network_network"));
        selection.params().forEach(query::bind);
        return query.map(NETWORK).list();
    }

    /**
     * Inserts the network; false when its segment is another network's (the unique key on the
     * segment decides, also between two creates at once). The transaction must end after a false.
     */
    public boolean insert(Handle h, Network n) {
        var insert = h.createUpdate("INSERT INTO network_network (id, project_id, name, description, admin_state_up,"
                        + " shared, router_external, mtu, port_security_enabled, network_type, physical_network,"
                        + " segmentation_id, segment_key, created_at, updated_at, revision_number) VALUES (:id, :project,"
                        + " :name, :description, :up, :shared, :external, :mtu, :security, :type, :physnet, :segment, :key,"
                        + " :created, :updated, :revision)")
                .bind("external", n.routerExternal())
                .bind("type", n.segment().networkType()).bind("physnet", n.segment().physicalNetwork().orElse(null))
                .bindByType("segment", n.segment().segmentationId().orElse(null), Integer.class)
                .bind("key", n.segment().key().orElse(null))
                .bind("id", n.id()).bind("project", n.projectId()).bind("name", n.name())
                .bind("description", n.description()).bind("up", n.adminStateUp()).bind("shared", n.shared())
                .bind("mtu", n.mtu()).bind("security", n.portSecurityEnabled()).bind("created", n.createdAt())
                .bind("updated", n.updatedAt()).bind("revision", n.revisionNumber());
        try {
            insert.execute();
            return true;
        } catch (org.jdbi.v3.core.statement.UnableToExecuteStatementException e) {
            // The id is a fresh UUID: the one key a new network can break is its segment's.
            if (dev.portside.common.db.Constraints.isUniqueViolation(e)) {
                return false;
            }
            throw e;
        }
    }

    /** The segment keys networks hold now ({@link Segment#key}), for picking a free VLAN. */
    public java.util.Set<String> segmentKeys(Handle h) {
        return java.util.Set.copyOf(h.createQuery("SELECT segment_key FROM network_network WHERE segment_key IS NOT NULL")
                .mapTo(String.class).list());
    }

    public void update(Handle h, Network n) {
        h.createUpdate("UPDATE network_network SET name = :name, description = :description, admin_state_up = :up,"
                        + " shared = :shared, router_external = :external, mtu = :mtu, port_security_enabled = :security,"
                        + " updated_at = :updated, revision_number = :revision WHERE id = :id")
                .bind("external", n.routerExternal())
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
