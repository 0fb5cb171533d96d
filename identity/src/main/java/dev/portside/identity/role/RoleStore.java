package dev.portside.identity.role;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

import java.util.List;
import java.util.Optional;

/** Roles and role assignments in the database. */
public final class RoleStore {
    private static final RowMapper<Role> ROLE = (rs, ctx) -> new Role(rs.getString("id"), rs.getString("name"),
            Optional.ofNullable(rs.getString("description")));

    public Optional<Role> role(Handle h, String id) {
        return h.createQuery("SELECT * FROM identity_role WHERE id = :id").bind("id", id).map(ROLE).findOne();
    }

    public Optional<Role> roleByName(Handle h, String name) {
        return h.createQuery("SELECT * FROM identity_role WHERE name = :name").bind("name", name).map(ROLE).findOne();
    }

    public List<Role> roles(Handle h, Optional<String> name) {
        return h.createQuery("SELECT * FROM identity_role WHERE (:name IS NULL OR name = :name) ORDER BY name")
                .bind("name", name.orElse(null)).map(ROLE).list();
    }

    public void insert(Handle h, Role role) {
        h.createUpdate("INSERT INTO identity_role (id, name, description) VALUES (:id, :name, :description)")
                .bind("id", role.id()).bind("name", role.name()).bind("description", role.description().orElse(null))
                .execute();
    }

    public boolean delete(Handle h, String id) {
        return h.createUpdate("DELETE FROM identity_role WHERE id = :id").bind("id", id).execute() == 1;
    }

    /** The roles {@code userId} holds directly on a project or domain. */
    public List<Role> rolesOn(Handle h, String userId, Assignment.Target target, String targetId) {
        return h.createQuery("SELECT r.* FROM identity_role r JOIN " + table(target) + " a ON a.role_id = r.id"
                        + " WHERE a.user_id = :user AND a." + column(target) + " = :target ORDER BY r.name")
                .bind("user", userId).bind("target", targetId).map(ROLE).list();
    }

    // keystone-manage bootstrap creates these implications; tokens list the implied roles beside the granted ones.
    private static final java.util.Map<String, String> IMPLIES = java.util.Map.of("admin", "member", "member", "reader");

    /** The roles {@code userId} holds on a project or domain, directly or implied (admin, then member, then reader). */
    public List<Role> effectiveRolesOn(Handle h, String userId, Assignment.Target target, String targetId) {
        List<Role> direct = rolesOn(h, userId, target, targetId);
        if (direct.stream().noneMatch(role -> IMPLIES.containsKey(role.name()))) {
            return direct;
        }
        java.util.Map<String, Role> everyRole = new java.util.HashMap<>();
        roles(h, Optional.empty()).forEach(role -> everyRole.put(role.name(), role));
        java.util.Map<String, Role> byName = new java.util.TreeMap<>();
        for (Role role : direct) {
            for (String name = role.name(); name != null && everyRole.containsKey(name); name = IMPLIES.get(name)) {
                byName.put(name, everyRole.get(name));
            }
        }
        return List.copyOf(byName.values());
    }

    /** Grants a role; granting it again, even concurrently, changes nothing, as Keystone's PUT is idempotent. */
    public void grant(Handle h, Assignment assignment) {
        h.createUpdate("INSERT INTO " + table(assignment.target()) + " (user_id, " + column(assignment.target())
                        + ", role_id) VALUES (:user, :target, :role) ON CONFLICT DO NOTHING")
                .bind("user", assignment.userId()).bind("target", assignment.targetId())
                .bind("role", assignment.roleId())
                .execute();
    }

    public boolean has(Handle h, Assignment assignment) {
        return h.createQuery("SELECT COUNT(*) FROM " + table(assignment.target()) + " WHERE user_id = :user AND "
                        + column(assignment.target()) + " = :target AND role_id = :role")
                .bind("user", assignment.userId()).bind("target", assignment.targetId())
                .bind("role", assignment.roleId())
                .mapTo(Integer.class).one() > 0;
    }

    public boolean revoke(Handle h, Assignment assignment) {
        return h.createUpdate("DELETE FROM " + table(assignment.target()) + " WHERE user_id = :user AND "
                        + column(assignment.target()) + " = :target AND role_id = :role")
                .bind("user", assignment.userId()).bind("target", assignment.targetId())
                .bind("role", assignment.roleId())
                .execute() == 1;
    }

    /** Every assignment matching the filters of {@code GET /v3/role_assignments}. */
    public List<Assignment> assignments(Handle h, AssignmentFilter filter) {
        List<Assignment> all = new java.util.ArrayList<>();
        for (Assignment.Target target : Assignment.Target.values()) {
            if (filter.target().isPresent() && filter.target().get() != target) {
                continue;
            }
            all.addAll(h.createQuery("SELECT user_id, " + column(target) + " AS target_id, role_id FROM " + table(target)
                            + " WHERE (:user IS NULL OR user_id = :user) AND (:target IS NULL OR " + column(target)
                            + " = :target) AND (:role IS NULL OR role_id = :role) ORDER BY user_id, target_id, role_id")
                    .bind("user", filter.userId().orElse(null)).bind("target", filter.targetId().orElse(null))
                    .bind("role", filter.roleId().orElse(null))
                    .map((rs, ctx) -> new Assignment(rs.getString("user_id"), target, rs.getString("target_id"),
                            rs.getString("role_id")))
                    .list());
        }
        return all;
    }

    private static String table(Assignment.Target target) {
        return target == Assignment.Target.PROJECT ? "identity_project_assignment" : "identity_domain_assignment";
    }

    private static String column(Assignment.Target target) {
        return target == Assignment.Target.PROJECT ? "project_id" : "domain_id";
    }
}
