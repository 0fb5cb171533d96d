package dev.portside.identity.resource;

import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.RowMapper;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** Domains and projects in the database ("resource" is Keystone's name for them). */
public final class ResourceStore {
    private static final RowMapper<Domain> DOMAIN = (rs, ctx) -> new Domain(rs.getString("id"), rs.getString("name"),
            Optional.ofNullable(rs.getString("description")), rs.getBoolean("enabled"));
    private static final RowMapper<Project> PROJECT = (rs, ctx) -> new Project(rs.getString("id"),
            rs.getString("domain_id"), rs.getString("name"), Optional.ofNullable(rs.getString("description")),
            rs.getBoolean("enabled"), decodeTags(rs.getString("tags")));

    public Optional<Domain> domain(Handle h, String id) {
        return h.createQuery("SELECT * FROM identity_domain WHERE id = :id").bind("id", id).map(DOMAIN).findOne();
    }

    public Optional<Domain> domainByName(Handle h, String name) {
        return h.createQuery("SELECT * FROM identity_domain WHERE name = :name").bind("name", name).map(DOMAIN).findOne();
    }

    public List<Domain> domains(Handle h) {
        return h.createQuery("SELECT * FROM identity_domain ORDER BY name").map(DOMAIN).list();
    }

    public void insertDomain(Handle h, Domain domain) {
        h.createUpdate("INSERT INTO identity_domain (id, name, description, enabled) VALUES (:id, :name, :description, :enabled)")
                .bind("id", domain.id()).bind("name", domain.name())
                .bind("description", domain.description().orElse(null)).bind("enabled", domain.enabled())
                .execute();
    }

    public Optional<Project> project(Handle h, String id) {
        return h.createQuery("SELECT * FROM identity_project WHERE id = :id").bind("id", id).map(PROJECT).findOne();
    }

    public Optional<Project> projectByName(Handle h, String domainId, String name) {
        return h.createQuery("SELECT * FROM identity_project WHERE domain_id = :domain AND name = :name")
                .bind("domain", domainId).bind("name", name).map(PROJECT).findOne();
    }

    /** Projects matching the optional filters Keystone's list supports. */
    public List<Project> projects(Handle h, Optional<String> name, Optional<String> domainId, Optional<Boolean> enabled) {
        return h.createQuery("SELECT * FROM identity_project WHERE (:name IS NULL OR name = :name)"
                        + " AND (:domain IS NULL OR domain_id = :domain)"
                        + " AND (CAST(:enabled AS BOOLEAN) IS NULL OR enabled = :enabled) ORDER BY name, id")
                .bind("name", name.orElse(null)).bind("domain", domainId.orElse(null))
                .bind("enabled", enabled.orElse(null))
                .map(PROJECT).list();
    }

    public List<Project> projectsOf(Handle h, String userId) {
        return h.createQuery("SELECT DISTINCT p.* FROM identity_project p JOIN identity_project_assignment a"
                        + " ON a.project_id = p.id WHERE a.user_id = :user ORDER BY p.name, p.id")
                .bind("user", userId).map(PROJECT).list();
    }

    public void insertProject(Handle h, Project project) {
        h.createUpdate("INSERT INTO identity_project (id, domain_id, name, description, enabled, tags)"
                        + " VALUES (:id, :domain, :name, :description, :enabled, :tags)")
                .bind("id", project.id()).bind("domain", project.domainId()).bind("name", project.name())
                .bind("description", project.description().orElse(null)).bind("enabled", project.enabled())
                .bind("tags", encodeTags(project.tags()))
                .execute();
    }

    public void updateProject(Handle h, Project project) {
        h.createUpdate("UPDATE identity_project SET name = :name, description = :description, enabled = :enabled,"
                        + " tags = :tags WHERE id = :id")
                .bind("id", project.id()).bind("name", project.name())
                .bind("description", project.description().orElse(null)).bind("enabled", project.enabled())
                .bind("tags", encodeTags(project.tags()))
                .execute();
    }

    public boolean deleteProject(Handle h, String id) {
        return h.createUpdate("DELETE FROM identity_project WHERE id = :id").bind("id", id).execute() == 1;
    }

    // Tags are few, short and never queried inside SQL; a newline-joined column keeps one schema for H2 and PostgreSQL.
    private static String encodeTags(List<String> tags) {
        return String.join("\n", tags);
    }

    private static List<String> decodeTags(String column) {
        return column == null || column.isEmpty() ? List.of() : Arrays.asList(column.split("\n"));
    }
}
