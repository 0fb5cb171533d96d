package dev.portside.network.l3;

import dev.portside.network.api.Listing;
import org.jdbi.v3.core.Handle;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Floating IPs and their associations, in the database. */
public final class FloatingIpStore {

    public Optional<FloatingIp> find(Handle h, String id) {
        return h.createQuery("SELECT * FROM network_floatingip WHERE id = :id").bind("id", id)
                .map((rs, ctx) -> floatingIp(rs)).findOne();
    }

    public Optional<FloatingIp> findForUpdate(Handle h, String id) {
        return h.createQuery("SELECT * FROM network_floatingip WHERE id = :id FOR UPDATE").bind("id", id)
                .map((rs, ctx) -> floatingIp(rs)).findOne();
    }

    public static Listing.Scope scope(Optional<String> projectId) {
        return projectId.map(p -> new Listing.Scope("f.project_id = :project", Map.of("project", p)))
                .orElse(Listing.Scope.ALL);
    }

    /** One page of a list (rows aliased {@code f}). */
    public List<FloatingIp> select(Handle h, Listing.Selection selection) {
        var query = h.createQuery(selection.select("f.*", "network_floatingip"));
        selection.params().forEach(query::bind);
        return query.map((rs, ctx) -> floatingIp(rs)).list();
    }

    /** The floating IPs a router translates, for its dataplane. */
    public List<FloatingIp> ofRouter(Handle h, String routerId) {
        return h.createQuery("SELECT * FROM network_floatingip WHERE router_id = :router ORDER BY floating_ip_address")
                .bind("router", routerId).map((rs, ctx) -> floatingIp(rs)).list();
    }

    /** The floating IPs associated with a port. */
    public List<FloatingIp> ofPort(Handle h, String portId) {
        return h.createQuery("SELECT * FROM network_floatingip WHERE fixed_port_id = :port ORDER BY id")
                .bind("port", portId).map((rs, ctx) -> floatingIp(rs)).list();
    }

    /** The floating IP of the external network associated with this fixed address of the port, if any. */
    public Optional<FloatingIp> associatedWith(Handle h, String networkId, String portId, String fixedIp) {
        return h.createQuery("SELECT * FROM network_floatingip WHERE floating_network_id = :network"
                        + " AND fixed_port_id = :port AND fixed_ip_address = :ip")
                .bind("network", networkId).bind("port", portId).bind("ip", fixedIp)
                .map((rs, ctx) -> floatingIp(rs)).findOne();
    }

    /** Whether a floating IP reaches its fixed address on {@code subnetId} through the router. */
    public boolean anyThrough(Handle h, String routerId, String subnetId) {
        return h.createQuery("SELECT COUNT(*) FROM network_floatingip f JOIN network_ip_allocation a"
                        + " ON a.port_id = f.fixed_port_id AND a.ip_address = f.fixed_ip_address"
                        + " WHERE f.router_id = :router AND a.subnet_id = :subnet")
                .bind("router", routerId).bind("subnet", subnetId).mapTo(Integer.class).one() > 0;
    }

    /** Whether any floating IP is translated by the router. */
    public boolean anyThroughRouter(Handle h, String routerId) {
        return h.createQuery("SELECT COUNT(*) FROM network_floatingip WHERE router_id = :router")
                .bind("router", routerId).mapTo(Integer.class).one() > 0;
    }

    public void insert(Handle h, FloatingIp f) {
        h.createUpdate("INSERT INTO network_floatingip (id, project_id, description, floating_network_id,"
                        + " floating_port_id, floating_ip_address, fixed_port_id, fixed_ip_address, router_id, status,"
                        + " created_at, updated_at, revision_number) VALUES (:id, :project, :description, :network, :port,"
                        + " :address, :fixedPort, :fixedIp, :router, :status, :created, :updated, :revision)")
                .bind("project", f.projectId()).bind("network", f.floatingNetworkId()).bind("port", f.floatingPortId())
                .bind("address", f.floatingIpAddress()).bind("created", f.createdAt())
                .bindMap(columns(f)).execute();
    }

    public void update(Handle h, FloatingIp f) {
        h.createUpdate("UPDATE network_floatingip SET description = :description, fixed_port_id = :fixedPort,"
                        + " fixed_ip_address = :fixedIp, router_id = :router, status = :status, updated_at = :updated,"
                        + " revision_number = :revision WHERE id = :id")
                .bindMap(columns(f)).execute();
    }

    public void delete(Handle h, String id) {
        h.createUpdate("DELETE FROM network_floatingip WHERE id = :id").bind("id", id).execute();
    }

    private static Map<String, Object> columns(FloatingIp f) {
        Map<String, Object> columns = new java.util.HashMap<>();
        columns.put("id", f.id());
        columns.put("description", f.description());
        columns.put("fixedPort", f.association().map(FloatingIp.Association::portId).orElse(null));
        columns.put("fixedIp", f.association().map(FloatingIp.Association::fixedIpAddress).orElse(null));
        columns.put("router", f.association().map(FloatingIp.Association::routerId).orElse(null));
        columns.put("status", f.status());
        columns.put("updated", f.updatedAt());
        columns.put("revision", f.revisionNumber());
        return columns;
    }

    private static FloatingIp floatingIp(ResultSet rs) throws SQLException {
        String fixedPort = rs.getString("fixed_port_id");
        Optional<FloatingIp.Association> association = fixedPort == null ? Optional.empty()
                : Optional.of(new FloatingIp.Association(fixedPort, rs.getString("fixed_ip_address"),
                rs.getString("router_id")));
        return new FloatingIp(rs.getString("id"), rs.getString("project_id"), rs.getString("description"),
                rs.getString("floating_network_id"), rs.getString("floating_port_id"),
                rs.getString("floating_ip_address"), association, rs.getString("status"),
                rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("updated_at").toInstant(),
                rs.getLong("revision_number"));
    }
}
