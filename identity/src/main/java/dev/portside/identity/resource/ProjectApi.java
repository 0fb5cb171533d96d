package dev.portside.identity.resource;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.portside.common.auth.AuthContext;
import dev.portside.common.db.Constraints;
import dev.portside.common.http.Requests;
import dev.portside.common.json.Fields;
import dev.portside.common.json.Json;
import dev.portside.common.policy.Policy;
import dev.portside.identity.IdentityErrors;
import dev.portside.identity.Ids;
import dev.portside.identity.Links;
import dev.portside.identity.Queries;
import io.javalin.http.Context;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** {@code /v3/projects}: create, list, show, update and delete top-level projects. */
public final class ProjectApi {
    private static final Set<String> CREATE = Set.of("name", "domain_id", "description", "enabled", "parent_id",
            "is_domain", "tags", "options");
    private static final Set<String> UPDATE = Set.of("name", "domain_id", "description", "enabled", "tags", "options");
    private static final int MAX_NAME = 64;
    private static final int MAX_DESCRIPTION = 1024;

    private final Jdbi jdbi;
    private final ResourceStore store;
    private final Policy policy;
    private final Links links;
    private final ResourceJson json;

    public ProjectApi(Jdbi jdbi, ResourceStore store, Policy policy, Links links) {
        this.jdbi = jdbi;
        this.store = store;
        this.policy = policy;
        this.links = links;
        this.json = new ResourceJson(links);
    }

    public void create(Context ctx) {
        AuthContext caller = Requests.auth(ctx);
        Fields fields = Fields.wrapped(Requests.jsonBody(ctx), "project", CREATE);
        String name = fields.requiredName("name", MAX_NAME);
        // Keystone puts a project without domain_id in the domain of the caller's token scope.
        String domainId = fields.string("domain_id", 64)
                .or(() -> caller.project().map(AuthContext.Scope::domainId))
                .or(caller::domainId)
                .orElse(Domain.DEFAULT_ID);
        if (fields.bool("is_domain").orElse(false)) {
            throw fields.invalidField("is_domain", "projects acting as domains are not supported by Portside");
        }
        Optional<String> parent = fields.string("parent_id", 64);
        if (parent.isPresent() && !parent.get().equals(domainId)) {
            throw fields.invalidField("parent_id", "project hierarchies are not supported; the parent must be the domain");
        }
        checkOptions(fields);
        policy.enforce("identity:create_project", caller, Map.of("target.project.domain_id", domainId));
        Project project = new Project(Ids.newId(), domainId, name, fields.string("description", MAX_DESCRIPTION),
                fields.bool("enabled").orElse(true), tags(fields).orElse(List.of()));
        try {
            jdbi.useTransaction(h -> {
                if (store.domain(h, domainId).isEmpty()) {
                    throw fields.invalidField("domain_id", "Could not find domain: " + domainId + ".");
                }
                store.insertProject(h, project);
            });
        } catch (UnableToExecuteStatementException e) {
            throw duplicateOr(e, name);
        }
        Requests.respond(ctx, 201, Json.object().set("project", json.project(project)));
    }

    public void list(Context ctx) {
        policy.enforce("identity:list_projects", Requests.auth(ctx), Map.of());
        ArrayNode items = Json.array();
        jdbi.withHandle(h -> store.projects(h, Queries.text(ctx, "name"), Queries.text(ctx, "domain_id"),
                Queries.bool(ctx, "enabled"))).forEach(p -> items.add(json.project(p)));
        Requests.respond(ctx, 200, links.list("projects", items, "/v3/projects"));
    }

    public void show(Context ctx) {
        String id = ctx.pathParam("project_id");
        policy.enforce("identity:get_project", Requests.auth(ctx), Map.of("target.project.id", id));
        Project project = jdbi.withHandle(h -> store.project(h, id)).orElseThrow(() -> IdentityErrors.notFound("project", id));
        Requests.respond(ctx, 200, Json.object().set("project", json.project(project)));
    }

    public void update(Context ctx) {
        String id = ctx.pathParam("project_id");
        Fields fields = Fields.wrapped(Requests.jsonBody(ctx), "project", UPDATE);
        policy.enforce("identity:update_project", Requests.auth(ctx), Map.of("target.project.id", id));
        Optional<String> name = fields.has("name") ? Optional.of(fields.requiredName("name", MAX_NAME)) : Optional.empty();
        Optional<Optional<String>> description = fields.nullableString("description", MAX_DESCRIPTION);
        Optional<Boolean> enabled = fields.bool("enabled");
        Optional<List<String>> tags = tags(fields);
        Optional<String> domainId = fields.string("domain_id", 64);
        checkOptions(fields);
        Project updated;
        try {
            updated = jdbi.inTransaction(h -> {
                Project project = store.project(h, id).orElseThrow(() -> IdentityErrors.notFound("project", id));
                if (domainId.isPresent() && !domainId.get().equals(project.domainId())) {
                    throw fields.invalidField("domain_id", "a project cannot move to another domain");
                }
                Project changed = new Project(id, project.domainId(), name.orElse(project.name()),
                        description.orElse(project.description()), enabled.orElse(project.enabled()),
                        tags.orElse(project.tags()));
                store.updateProject(h, changed);
                return changed;
            });
        } catch (UnableToExecuteStatementException e) {
            throw duplicateOr(e, name.orElse(""));
        }
        Requests.respond(ctx, 200, Json.object().set("project", json.project(updated)));
    }

    public void delete(Context ctx) {
        String id = ctx.pathParam("project_id");
        policy.enforce("identity:delete_project", Requests.auth(ctx), Map.of("target.project.id", id));
        if (!jdbi.inTransaction(h -> store.deleteProject(h, id))) {
            throw IdentityErrors.notFound("project", id);
        }
        ctx.status(204);
    }

    private static Optional<List<String>> tags(Fields fields) {
        Optional<List<String>> tags = fields.strings("tags", 255);
        tags.ifPresent(list -> {
            if (list.size() > 80) {
                throw fields.invalidField("tags", "at most 80 tags are allowed");
            }
            for (String tag : list) {
                if (tag.isEmpty() || tag.contains(",") || tag.contains("/") || tag.contains("\n")) {
                    throw fields.invalidField("tags", "'" + tag + "' is not a valid tag (non-empty, without ',' or '/')");
                }
            }
        });
        return tags.map(list -> List.copyOf(new java.util.LinkedHashSet<>(list)));
    }

    // Keystone's project options (immutable, ...) are not supported; an empty object is accepted as clients send it.
    private static void checkOptions(Fields fields) {
        fields.object("options", Set.of());
    }

    private static RuntimeException duplicateOr(UnableToExecuteStatementException e, String name) {
        if (Constraints.isUniqueViolation(e)) {
            return IdentityErrors.duplicate("project", name, "in the same domain");
        }
        return e;
    }

    /** The projects of one user, for {@code GET /v3/users/{id}/projects} and {@code GET /v3/auth/projects}. */
    public void respondWithProjectsOf(Context ctx, String userId, String path) {
        ArrayNode items = Json.array();
        jdbi.withHandle(h -> store.projectsOf(h, userId)).forEach(p -> items.add(json.project(p)));
        Requests.respond(ctx, 200, links.list("projects", items, path));
    }
}
