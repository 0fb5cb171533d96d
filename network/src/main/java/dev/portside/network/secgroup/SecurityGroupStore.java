package dev.portside.network.secgroup;

import dev.portside.network.api.Listing;
import org.jdbi.v3.core.Handle;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Security groups, their rules, the default group of each project, and which ports use which groups. */
public final class SecurityGroupStore {

    public Optional<SecurityGroup> find(Handle h, String id) {
        return groups(h, "WHERE g.id = :id", Map.of("id", id)).stream().findFirst();
    }

    /** Which groups a list starts from: the project's own; all for an admin. */
    public static Listing.Scope scope(Optional<String> projectId) {
        return projectId.map(p -> new Listing.Scope("g.project_id = :project", Map.of("project", p)))
                .orElse(Listing.Scope.ALL);
    }

    /** One page of a list (rows aliased {@code g}), each group with its rules. */
    public List<SecurityGroup> select(Handle h, Listing.Selection selection) {
        var query = h.createQuery(selection.select("g.*", "network_security_group"));
        selection.params().forEach(query::bind);
        return withRules(h, query.map((rs, ctx) -> group(rs)).list(), "WHERE r.security_group_id IN"
                + " (SELECT g.id FROM network_security_group g " + selection.where() + ")", selection.params());
    }

    /** Which rules a list starts from: those of the project's groups; all for an admin. */
    public static Listing.Scope ruleScope(Optional<String> projectId) {
        return projectId.map(p -> new Listing.Scope("r.security_group_id IN (SELECT g.id FROM network_security_group g"
                + " WHERE g.project_id = :project)", Map.of("project", p))).orElse(Listing.Scope.ALL);
    }

    /** One page of a rule list (rows aliased {@code r}). */
    public List<SecurityGroupRule> selectRules(Handle h, Listing.Selection selection) {
        var query = h.createQuery(selection.select("r.*", "network_security_group_rule"));
        selection.params().forEach(query::bind);
        return query.map((rs, ctx) -> rule(rs)).list();
    }

    public Optional<String> defaultOf(Handle h, String projectId) {
        return h.createQuery("SELECT security_group_id FROM network_default_security_group WHERE project_id = :project")
                .bind("project", projectId).mapTo(String.class).findOne();
    }

    /** Records the project's default group unless one already is; true when this one became the default. */
    public boolean makeDefault(Handle h, String projectId, String groupId) {
        return h.createUpdate("INSERT INTO network_default_security_group (project_id, security_group_id)"
                        + " VALUES (:project, :group) ON CONFLICT DO NOTHING")
                .bind("project", projectId).bind("group", groupId).execute() == 1;
    }

    public boolean isDefault(Handle h, String groupId) {
        return h.createQuery("SELECT COUNT(*) FROM network_default_security_group WHERE security_group_id = :group")
                .bind("group", groupId).mapTo(Long.class).one() > 0;
    }

    public void insert(Handle h, SecurityGroup g) {
        h.createUpdate("INSERT INTO network_security_group (id, project_id, name, description, stateful, created_at,"
                        + " updated_at, revision_number) VALUES (:id, :project, :name, :description, :stateful, :created,"
                        + " :updated, :revision)")
                .bind("id", g.id()).bind("project", g.projectId()).bind("name", g.name())
                .bind("description", g.description()).bind("stateful", g.stateful()).bind("created", g.createdAt())
                .bind("updated", g.updatedAt()).bind("revision", g.revisionNumber()).execute();
        g.rules().forEach(rule -> insertRule(h, rule));
    }

    public void update(Handle h, SecurityGroup g) {
        h.createUpdate("UPDATE network_security_group SET name = :name, description = :description, updated_at = :updated,"
                        + " revision_number = :revision WHERE id = :id")
                .bind("id", g.id()).bind("name", g.name()).bind("description", g.description())
                .bind("updated", g.updatedAt()).bind("revision", g.revisionNumber()).execute();
    }

    public void delete(Handle h, String id) {
        h.createUpdate("DELETE FROM network_security_group WHERE id = :id").bind("id", id).execute();
    }

    public void insertRule(Handle h, SecurityGroupRule r) {
        h.createUpdate("INSERT INTO network_security_group_rule (id, security_group_id, project_id, direction, ethertype,"
                        + " protocol, port_range_min, port_range_max, remote_ip_prefix, remote_group_id, description,"
                        + " created_at, updated_at, revision_number) VALUES (:id, :group, :project, :direction, :ethertype,"
                        + " :protocol, :min, :max, :prefix, :remote, :description, :created, :updated, :revision)")
                .bind("id", r.id()).bind("group", r.securityGroupId()).bind("project", r.projectId())
                .bind("direction", r.direction()).bind("ethertype", r.ethertype())
                .bind("protocol", r.protocol().orElse(null)).bind("min", r.portRangeMin().orElse(null))
                .bind("max", r.portRangeMax().orElse(null)).bind("prefix", r.remoteIpPrefix().orElse(null))
                .bind("remote", r.remoteGroupId().orElse(null)).bind("description", r.description())
                .bind("created", r.createdAt()).bind("updated", r.updatedAt()).bind("revision", r.revisionNumber())
                .execute();
    }

    public Optional<SecurityGroupRule> rule(Handle h, String id) {
        return rules(h, "WHERE r.id = :id", Map.of("id", id)).stream().findFirst();
    }

    /** Every rule, for the host's filtering. */
    public List<SecurityGroupRule> allRules(Handle h) {
        return rules(h, "", Map.of());
    }

    public void deleteRule(Handle h, String id) {
        h.createUpdate("DELETE FROM network_security_group_rule WHERE id = :id").bind("id", id).execute();
    }

    public boolean inUse(Handle h, String groupId) {
        return h.createQuery("SELECT COUNT(*) FROM network_port_security_group WHERE security_group_id = :group")
                .bind("group", groupId).mapTo(Long.class).one() > 0;
    }

    private List<SecurityGroup> groups(Handle h, String where, Map<String, String> params) {
        var query = h.createQuery("SELECT g.* FROM network_security_group g " + where + " ORDER BY g.created_at, g.id");
        params.forEach(query::bind);
        String ruleWhere = where.isEmpty() ? "" : "JOIN network_security_group g ON g.id = r.security_group_id " + where;
        return withRules(h, query.map((rs, ctx) -> group(rs)).list(), ruleWhere, params);
    }

    private List<SecurityGroup> withRules(Handle h, List<SecurityGroup> groups, String ruleWhere,
                                          Map<String, ?> params) {
        if (groups.isEmpty()) {
            return groups;
        }
        Map<String, List<SecurityGroupRule>> rules = new HashMap<>();
        rules(h, ruleWhere, params).forEach(r -> rules.computeIfAbsent(r.securityGroupId(), k -> new ArrayList<>()).add(r));
        return groups.stream().map(g -> new SecurityGroup(g.id(), g.projectId(), g.name(), g.description(), g.stateful(),
                rules.getOrDefault(g.id(), List.of()), g.createdAt(), g.updatedAt(), g.revisionNumber())).toList();
    }

    private List<SecurityGroupRule> rules(Handle h, String where, Map<String, ?> params) {
        var query = h.createQuery("SELECT r.* FROM network_security_group_rule r " + where + " ORDER BY r.created_at, r.id");
        params.forEach(query::bind);
        return query.map((rs, ctx) -> rule(rs)).list();
    }

    private static SecurityGroup group(ResultSet rs) throws SQLException {
        return new SecurityGroup(rs.getString("id"), rs.getString("project_id"), rs.getString("name"),
                rs.getString("description"), rs.getBoolean("stateful"), List.of(), rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant(), rs.getLong("revision_number"));
    }

    private static SecurityGroupRule rule(ResultSet rs) throws SQLException {
        return new SecurityGroupRule(rs.getString("id"), rs.getString("security_group_id"), rs.getString("project_id"),
                rs.getString("direction"), rs.getString("ethertype"), Optional.ofNullable(rs.getString("protocol")),
                Optional.ofNullable((Integer) rs.getObject("port_range_min", Integer.class)),
                Optional.ofNullable((Integer) rs.getObject("port_range_max", Integer.class)),
                Optional.ofNullable(rs.getString("remote_ip_prefix")), Optional.ofNullable(rs.getString("remote_group_id")),
                rs.getString("description"), rs.getTimestamp("created_at").toInstant(),
                rs.getTimestamp("updated_at").toInstant(), rs.getLong("revision_number"));
    }
}
