package dev.portside.identity.user;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

import java.util.List;
import java.util.Optional;

/** Users and their password hashes in the database. */
public final class UserStore {
    private static final RowMapper<User> USER = (rs, ctx) -> new User(rs.getString("id"), rs.getString("domain_id"),
            rs.getString("name"), Optional.ofNullable(rs.getString("description")),
            Optional.ofNullable(rs.getString("email")), rs.getBoolean("enabled"),
            Optional.ofNullable(rs.getString("default_project_id")));

    public Optional<User> user(Handle h, String id) {
        return h.createQuery("SELECT * FROM identity_user WHERE id = :id").bind("id", id).map(USER).findOne();
    }

    public Optional<User> userByName(Handle h, String domainId, String name) {
        return h.createQuery("SELECT * FROM identity_user WHERE domain_id = :domain AND name = :name")
                .bind("domain", domainId).bind("name", name).map(USER).findOne();
    }

    public List<User> users(Handle h, Optional<String> name, Optional<String> domainId, Optional<Boolean> enabled) {
        return h.createQuery("SELECT * FROM identity_user WHERE (:name IS NULL OR name = :name)"
                        + " AND (:domain IS NULL OR domain_id = :domain)"
                        + " AND (CAST(:enabled AS BOOLEAN) IS NULL OR enabled = :enabled) ORDER BY name, id")
                .bind("name", name.orElse(null)).bind("domain", domainId.orElse(null))
                .bind("enabled", enabled.orElse(null))
                .map(USER).list();
    }

    public Optional<String> passwordHash(Handle h, String userId) {
        return h.createQuery("SELECT password_hash FROM identity_user WHERE id = :id").bind("id", userId)
                .mapTo(String.class).findOne();
    }

    public void insert(Handle h, User user, Optional<String> passwordHash) {
        h.createUpdate("INSERT INTO identity_user (id, domain_id, name, description, email, enabled, default_project_id,"
                        + " password_hash) VALUES (:id, :domain, :name, :description, :email, :enabled, :project, :hash)")
                .bind("id", user.id()).bind("domain", user.domainId()).bind("name", user.name())
                .bind("description", user.description().orElse(null)).bind("email", user.email().orElse(null))
                .bind("enabled", user.enabled()).bind("project", user.defaultProjectId().orElse(null))
                .bind("hash", passwordHash.orElse(null))
                .execute();
    }

    public void update(Handle h, User user) {
        h.createUpdate("UPDATE identity_user SET name = :name, description = :description, email = :email,"
                        + " enabled = :enabled, default_project_id = :project WHERE id = :id")
                .bind("id", user.id()).bind("name", user.name())
                .bind("description", user.description().orElse(null)).bind("email", user.email().orElse(null))
                .bind("enabled", user.enabled()).bind("project", user.defaultProjectId().orElse(null))
                .execute();
    }

    public void setPasswordHash(Handle h, String userId, String passwordHash) {
        h.createUpdate("UPDATE identity_user SET password_hash = :hash WHERE id = :id")
                .bind("id", userId).bind("hash", passwordHash).execute();
    }

    public boolean delete(Handle h, String id) {
        return h.createUpdate("DELETE FROM identity_user WHERE id = :id").bind("id", id).execute() == 1;
    }
}
