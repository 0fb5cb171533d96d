package dev.portside.network.l3;

import dev.portside.network.api.Listing;
import dev.portside.network.port.FixedIp;
import org.jdbi.v3.core.Handle;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Routers, their extra routes and their interfaces, in the database. */
public final class RouterStore {

    public Optional<Router> find(Handle h, String id) {
        return select(h, new Listing.Selection("r", "WHERE r.id = :id", "", 0, Map.of("id", id))).stream().findFirst();
    }

    /** The router, row-locked until the transaction ends: one change of a router's interfaces or gateway at a time. */
    public Optional<Router> findForUpdate(Handle h, String id) {
        boolean exists = h.createQuery("SELECT id FROM network_router WHERE id = :id FOR UPDATE").bind("id", id)
                .mapTo(String.class).findOne().isPresent();
        return exists ? find(h, id) : Optional.empty();
    }

    /** Which routers a list starts from: the project's own; all for an admin. */
    public static Listing.Scope scope(Optional<String> projectId) {
        return projectId.map(p -> new Listing.Scope("r.project_id = :project", Map.of("project", p)))
                .orElse(Listing.Scope.ALL);
    }

    /** One page of a list (rows aliased {@code r}), each router with its gateway's addresses and its routes. */
    public List<Router> select(Handle h, Listing.Selection selection) {
        var query = h.createQuery(selection.select("r.*, (SELECT gw.network_id FROM network_port gw"
                + " WHERE gw.id = r.gw_port_id) AS gw_network_id", "network_router"));
        selection.params().forEach(query::bind);
        List<Router> routers = query.map((rs, ctx) -> router(rs)).list();
        if (routers.isEmpty()) {
            return routers;
        }
        List<String> ids = routers.stream().map(Router::id).toList();
        Map<String, List<Router.Route>> routes = new HashMap<>();
        h.createQuery("SELECT * FROM network_router_route WHERE router_id IN (<ids>) ORDER BY destination, nexthop")
                .bindList("ids", ids)
                .map((rs, ctx) -> Map.entry(rs.getString("router_id"),
                        new Router.Route(rs.getString("destination"), rs.getString("nexthop"))))
                .list().forEach(e -> routes.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
        Map<String, List<FixedIp>> gatewayIps = new HashMap<>();
        h.createQuery("SELECT r.id, a.subnet_id, a.ip_address FROM network_router r JOIN network_ip_allocation a"
                        + " ON a.port_id = r.gw_port_id WHERE r.id IN (<ids>) ORDER BY a.subnet_id, a.ip_address")
                .bindList("ids", ids)
                .map((rs, ctx) -> Map.entry(rs.getString("id"),
                        new FixedIp(rs.getString("subnet_id"), rs.getString("ip_address"))))
                .list().forEach(e -> gatewayIps.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
        return routers.stream().map(r -> new Router(r.id(), r.projectId(), r.name(), r.description(), r.adminStateUp(),
                r.status(), r.gateway().map(g -> new Router.Gateway(g.networkId(), g.portId(), g.enableSnat(),
                gatewayIps.getOrDefault(r.id(), List.of()))), routes.getOrDefault(r.id(), List.of()), r.createdAt(),
                r.updatedAt(), r.revisionNumber())).toList();
    }

    public List<String> allIds(Handle h) {
        return h.createQuery("SELECT id FROM network_router ORDER BY id").mapTo(String.class).list();
    }

    public void insert(Handle h, Router r) {
        h.createUpdate("INSERT INTO network_router (id, project_id, name, description, admin_state_up, status,"
                        + " gw_port_id, enable_snat, created_at, updated_at, revision_number) VALUES (:id, :project, :name,"
                        + " :description, :up, :status, :gw, :snat, :created, :updated, :revision)")
                .bind("id", r.id()).bind("project", r.projectId()).bind("status", r.status())
                .bind("created", r.createdAt())
                .bindMap(columns(r)).execute();
        replaceRoutes(h, r);
    }

    public void update(Handle h, Router r) {
        h.createUpdate("UPDATE network_router SET name = :name, description = :description, admin_state_up = :up,"
                        + " gw_port_id = :gw, enable_snat = :snat, updated_at = :updated, revision_number = :revision"
                        + " WHERE id = :id")
                .bind("id", r.id()).bindMap(columns(r)).execute();
        replaceRoutes(h, r);
    }

    public void delete(Handle h, String id) {
        h.createUpdate("DELETE FROM network_router WHERE id = :id").bind("id", id).execute();
    }

    /** The ports that are the router's interfaces, by id. */
    public List<String> interfaces(Handle h, String routerId) {
        return h.createQuery("SELECT port_id FROM network_router_interface WHERE router_id = :router ORDER BY port_id")
                .bind("router", routerId).mapTo(String.class).list();
    }

    public void addInterface(Handle h, String routerId, String portId) {
        h.createUpdate("INSERT INTO network_router_interface (port_id, router_id) VALUES (:port, :router)")
                .bind("port", portId).bind("router", routerId).execute();
    }

    public void removeInterface(Handle h, String portId) {
        h.createUpdate("DELETE FROM network_router_interface WHERE port_id = :port").bind("port", portId).execute();
    }

    /** Whether any router has its gateway on the network (it must stay external while they do). */
    public boolean anyGatewayOn(Handle h, String networkId) {
        return h.createQuery("SELECT COUNT(*) FROM network_router r JOIN network_port p ON p.id = r.gw_port_id"
                + " WHERE p.network_id = :network").bind("network", networkId).mapTo(Integer.class).one() > 0;
    }

    /**
     * The routers with their gateway on {@code externalNetworkId} and an interface on {@code subnetId}: those
     * that can carry a floating IP of that network to an address on that subnet, oldest first.
     */
    public List<String> routersBetween(Handle h, String externalNetworkId, String subnetId) {
        return h.createQuery("SELECT DISTINCT r.id, r.created_at FROM network_router r"
                        + " JOIN network_port gw ON gw.id = r.gw_port_id"
                        + " JOIN network_router_interface i ON i.router_id = r.id"
                        + " JOIN network_ip_allocation a ON a.port_id = i.port_id"
                        + " WHERE gw.network_id = :network AND a.subnet_id = :subnet ORDER BY r.created_at, r.id")
                .bind("network", externalNetworkId).bind("subnet", subnetId).map((rs, ctx) -> rs.getString("id")).list();
    }

    private static void replaceRoutes(Handle h, Router r) {
        h.createUpdate("DELETE FROM network_router_route WHERE router_id = :id").bind("id", r.id()).execute();
        for (Router.Route route : r.routes()) {
            h.createUpdate("INSERT INTO network_router_route (router_id, destination, nexthop) VALUES (:id, :d, :n)")
                    .bind("id", r.id()).bind("d", route.destination()).bind("n", route.nexthop()).execute();
        }
    }

    private static Map<String, Object> columns(Router r) {
        Map<String, Object> columns = new HashMap<>();
        columns.put("name", r.name());
        columns.put("description", r.description());
        columns.put("up", r.adminStateUp());
        columns.put("gw", r.gateway().map(Router.Gateway::portId).orElse(null));
        columns.put("snat", r.gateway().map(Router.Gateway::enableSnat).orElse(true));
        columns.put("updated", r.updatedAt());
        columns.put("revision", r.revisionNumber());
        return columns;
    }

    private static Router router(ResultSet rs) throws SQLException {
        String gatewayPort = rs.getString("gw_port_id");
        Optional<Router.Gateway> gateway = gatewayPort == null ? Optional.empty()
                : Optional.of(new Router.Gateway(rs.getString("gw_network_id"), gatewayPort, rs.getBoolean("enable_snat"),
                List.of()));
        return new Router(rs.getString("id"), rs.getString("project_id"), rs.getString("name"),
                rs.getString("description"), rs.getBoolean("admin_state_up"), rs.getString("status"), gateway, List.of(),
                rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("updated_at").toInstant(),
                rs.getLong("revision_number"));
    }
}
