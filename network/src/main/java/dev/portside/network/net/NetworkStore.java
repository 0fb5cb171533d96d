package dev.portside.network.net;

import dev.portside.network.api.Listing;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Networks in the database. */
public final class NetworkStore {
    private static final RowMapper<Network> NETWORK = (rs, ctx) -> new Network(rs.getString("id"),
            rs.getString("project_id"), rs.getString("name"), rs.getString("description"),
            rs.getBoolean("admin_state_up"), rs.getBoolean("shared"), rs.getInt("mtu"),
            rs.getBoolean("port_security_enabled"), List.of(), rs.getTimestamp("created_at").toInstant(),
            rs.getTimestamp("updated_at").toInstant(), rs.getLong("revision_number"));

    public Optional<Network> find(Handle h, String id) {
        return withSubnets(h, h.createQuery("SELECT * FROM network_network WHERE id = :id").bind("id", id).map(NETWORK)
                .findOne());
    }

    /** The network, locked until the transaction ends: for updates, and to serialise work on its ports. */
    public Optional<Network> lock(Handle h, String id) {
        return withSubnets(h, h.createQuery("SELECT * FROM network_network WHERE id = :id FOR UPDATE").bind("id", id)
                .map(NETWORK).findOne());
    }

    /** Which networks a list starts from: a project's own and shared ones; every network for an admin. */
    public static Listing.Scope scope(Optional<String> projectId) {
        return projectId.map(p -> new Listing.Scope("n.project_id = :project OR n.shared", Map.of("project", p)))
                .orElse(Listing.Scope.ALL);
    }

    /** One page of a list (rows aliased {@code n}), with each network's subnets. */
    public List<Network> select(Handle h, Listing.Selection selection) {
        var query = h.createQuery(selection.select("n.*", "network_network"));
        selection.params().forEach(query::bind);
        List<Network> rows = query.map(NETWORK).list();
        if (rows.isEmpty()) {
            return rows;
        }
        Map<String, List<String>> subnets = new HashMap<>();
        var subnetRows = h.createQuery("SELECT s.network_id, s.id FROM network_subnet s WHERE s.network_id IN"
                + " (SELECT n.id FROM network_network n " + selection.where() + ") ORDER BY s.id");
        selection.params().forEach(subnetRows::bind);
        subnetRows.map((rs, ctx) -> Map.entry(rs.getString(1), rs.getString(2)))
                .forEach(e -> subnets.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
        return rows.stream().map(n -> with(n, subnets.getOrDefault(n.id(), List.of()))).toList();
    }

    private Optional<Network> withSubnets(Handle h, Optional<Network> found) {
        return found.map(n -> with(n, h.createQuery("SELECT id FROM network_subnet WHERE network_id = :id ORDER BY id")
                .bind("id", n.id()).mapTo(String.class).list()));
    }

    private static Network with(Network n, List<String> subnets) {
        return new Network(n.id(), n.projectId(), n.name(), n.description(), n.adminStateUp(), n.shared(), n.mtu(),
                n.portSecurityEnabled(), subnets, n.createdAt(), n.updatedAt(), n.revisionNumber());
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
