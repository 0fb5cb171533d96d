package dev.portside.compute.servergroup;

import org.jdbi.v3.core.Handle;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Server groups and their members in the compute database. */
public final class ServerGroupStore {

    public void insert(Handle h, ServerGroup group) {
        h.createUpdate("INSERT INTO compute_server_group (id, project_id, user_id, name, policy, max_server_per_host,"
                        + " created_at) VALUES (:id, :project, :user, :name, :policy, :max, :created)")
                .bind("max", group.maxServerPerHost().isPresent() ? group.maxServerPerHost().getAsInt() : null)
                .bind("id", group.id()).bind("project", group.projectId()).bind("user", group.userId())
                .bind("name", group.name()).bind("policy", group.policy())
                .bind("created", Timestamp.from(group.createdAt())).execute();
    }

    public Optional<ServerGroup> find(Handle h, String id) {
        return h.createQuery("SELECT * FROM compute_server_group WHERE id = :id").bind("id", id)
                .map((rs, ctx) -> row(rs)).findOne().map(g -> withMembers(h, List.of(g)).getFirst());
    }

    /** The group, its row locked until the transaction ends: how members' placements are serialised. */
    public Optional<ServerGroup> lock(Handle h, String id) {
        return h.createQuery("SELECT * FROM compute_server_group WHERE id = :id FOR UPDATE").bind("id", id)
                .map((rs, ctx) -> row(rs)).findOne().map(g -> withMembers(h, List.of(g)).getFirst());
    }

    /** A project's groups, or every project's. */
    public List<ServerGroup> list(Handle h, Optional<String> projectId) {
        var query = h.createQuery("SELECT * FROM compute_server_group"
                + (projectId.isPresent() ? " WHERE project_id = :project" : "") + " ORDER BY created_at, id");
        projectId.ifPresent(p -> query.bind("project", p));
        return withMembers(h, query.map((rs, ctx) -> row(rs)).list());
    }

    public void delete(Handle h, String id) {
        h.createUpdate("DELETE FROM compute_server_group WHERE id = :id").bind("id", id).execute();
    }

    public void addMember(Handle h, String groupId, String serverId) {
        h.createUpdate("INSERT INTO compute_server_group_member (server_id, group_id) VALUES (:server, :group)")
                .bind("server", serverId).bind("group", groupId).execute();
    }

    /** The group a server is in, if any. */
    public Optional<ServerGroup> ofServer(Handle h, String serverId) {
        return h.createQuery("SELECT group_id FROM compute_server_group_member WHERE server_id = :server")
                .bind("server", serverId).mapTo(String.class).findOne().flatMap(id -> find(h, id));
    }

    /** How many of the group's other members each host holds (members not placed are not counted). */
    public Map<String, Integer> membersByHost(Handle h, String groupId, String exceptServer) {
        Map<String, Integer> byHost = new HashMap<>();
        h.createQuery("SELECT s.host FROM compute_server_group_member m JOIN compute_server s ON s.id = m.server_id"
                        + " WHERE m.group_id = :group AND m.server_id <> :server AND s.host IS NOT NULL")
                .bind("group", groupId).bind("server", exceptServer).mapTo(String.class)
                .forEach(host -> byHost.merge(host, 1, Integer::sum));
        return byHost;
    }

    public long count(Handle h, String projectId) {
        return h.createQuery("SELECT count(*) FROM compute_server_group WHERE project_id = :project")
                .bind("project", projectId).mapTo(Long.class).one();
    }

    public long memberCount(Handle h, String groupId) {
        return h.createQuery("SELECT count(*) FROM compute_server_group_member WHERE group_id = :group")
                .bind("group", groupId).mapTo(Long.class).one();
    }

    // The groups with their members, read in one query.
    private static List<ServerGroup> withMembers(Handle h, List<ServerGroup> groups) {
        if (groups.isEmpty()) {
            return groups;
        }
        Map<String, List<String>> members = new HashMap<>();
        h.createQuery("SELECT group_id, server_id FROM compute_server_group_member WHERE group_id IN (<ids>)"
                        + " ORDER BY position")
                .bindList("ids", groups.stream().map(ServerGroup::id).toList())
                .map((rs, ctx) -> Map.entry(rs.getString("group_id"), rs.getString("server_id")))
                .forEach(e -> members.computeIfAbsent(e.getKey(), k -> new java.util.ArrayList<>()).add(e.getValue()));
        return groups.stream().map(g -> new ServerGroup(g.id(), g.projectId(), g.userId(), g.name(), g.policy(),
                g.maxServerPerHost(), members.getOrDefault(g.id(), List.of()), g.createdAt())).toList();
    }

    private static ServerGroup row(ResultSet rs) throws SQLException {
        return new ServerGroup(rs.getString("id"), rs.getString("project_id"), rs.getString("user_id"),
                rs.getString("name"), rs.getString("policy"), rs.getObject("max_server_per_host") == null
                        ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(rs.getInt("max_server_per_host")),
                List.of(), rs.getTimestamp("created_at").toInstant());
    }
}
