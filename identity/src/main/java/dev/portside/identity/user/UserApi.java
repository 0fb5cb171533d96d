package dev.portside.identity.user;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
import dev.portside.identity.resource.Domain;
import dev.portside.identity.resource.ProjectApi;
import dev.portside.identity.resource.ResourceStore;
import io.javalin.http.Context;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** {@code /v3/users}: local users with passwords. */
public final class UserApi {
    private static final Set<String> ATTRIBUTES = Set.of("name", "domain_id", "password", "enabled",
            "default_project_id", "description", "email", "options");
    private static final int MAX_NAME = 255;
    private static final int MAX_PASSWORD = 4096;

    private final Jdbi jdbi;
    private final UserStore store;
    private final ResourceStore resources;
    private final PasswordHasher passwords;
    private final Policy policy;
    private final Links links;
    private final ProjectApi projects;

    public UserApi(Jdbi jdbi, UserStore store, ResourceStore resources, PasswordHasher passwords, Policy policy,
                   Links links, ProjectApi projects) {
        this.jdbi = jdbi;
        this.store = store;
        this.resources = resources;
        this.passwords = passwords;
        this.policy = policy;
        this.links = links;
        this.projects = projects;
    }

    public void create(Context ctx) {
        AuthContext caller = Requests.auth(ctx);
        Fields fields = Fields.wrapped(Requests.jsonBody(ctx), "user", ATTRIBUTES);
        String name = fields.requiredName("name", MAX_NAME);
        String domainId = fields.string("domain_id", 64)
                .or(() -> caller.project().map(AuthContext.Scope::domainId))
                .or(caller::domainId)
                .orElse(Domain.DEFAULT_ID);
        Optional<String> password = fields.nullableString("password", MAX_PASSWORD).flatMap(p -> p);
        Optional<String> defaultProject = fields.nullableString("default_project_id", 64).flatMap(p -> p);
        fields.object("options", Set.of());
        policy.enforce("identity:create_user", caller, Map.of("target.user.domain_id", domainId));
        User user = new User(Ids.newId(), domainId, name, fields.nullableString("description", 1024).flatMap(d -> d),
                fields.nullableString("email", 255).flatMap(e -> e), fields.bool("enabled").orElse(true), defaultProject);
        // Hashing is slow on purpose: do it before taking a connection.
        Optional<String> hash = password.map(passwords::hash);
        try {
            jdbi.useTransaction(h -> {
                if (resources.domain(h, domainId).isEmpty()) {
                    throw fields.invalidField("domain_id", "Could not find domain: " + domainId + ".");
                }
                checkDefaultProject(h, fields, defaultProject);
                store.insert(h, user, hash);
            });
        } catch (UnableToExecuteStatementException e) {
            throw duplicateOr(e, name);
        }
        Requests.respond(ctx, 201, Json.object().set("user", render(user)));
    }

    public void list(Context ctx) {
        policy.enforce("identity:list_users", Requests.auth(ctx), Map.of());
        ArrayNode items = Json.array();
        jdbi.withHandle(h -> store.users(h, Queries.text(ctx, "name"), Queries.text(ctx, "domain_id"),
                Queries.bool(ctx, "enabled"))).forEach(u -> items.add(render(u)));
        Requests.respond(ctx, 200, links.list("users", items, "/v3/users"));
    }

    public void show(Context ctx) {
        String id = ctx.pathParam("user_id");
        policy.enforce("identity:get_user", Requests.auth(ctx), Map.of("target.user.id", id));
        User user = jdbi.withHandle(h -> store.user(h, id)).orElseThrow(() -> IdentityErrors.notFound("user", id));
        Requests.respond(ctx, 200, Json.object().set("user", render(user)));
    }

    public void update(Context ctx) {
        String id = ctx.pathParam("user_id");
        Fields fields = Fields.wrapped(Requests.jsonBody(ctx), "user", ATTRIBUTES);
        policy.enforce("identity:update_user", Requests.auth(ctx), Map.of("target.user.id", id));
        Optional<String> name = fields.has("name") ? Optional.of(fields.requiredName("name", MAX_NAME)) : Optional.empty();
        Optional<String> domainId = fields.string("domain_id", 64);
        Optional<Optional<String>> defaultProject = fields.nullableString("default_project_id", 64);
        Optional<Optional<String>> description = fields.nullableString("description", 1024);
        Optional<Optional<String>> email = fields.nullableString("email", 255);
        Optional<Boolean> enabled = fields.bool("enabled");
        Optional<String> hash = fields.string("password", MAX_PASSWORD).map(passwords::hash);
        fields.object("options", Set.of());
        User updated;
        try {
            updated = jdbi.inTransaction(h -> {
                User user = store.user(h, id).orElseThrow(() -> IdentityErrors.notFound("user", id));
                if (domainId.isPresent() && !domainId.get().equals(user.domainId())) {
                    throw fields.invalidField("domain_id", "a user cannot move to another domain");
                }
                defaultProject.ifPresent(project -> checkDefaultProject(h, fields, project));
                User changed = new User(id, user.domainId(), name.orElse(user.name()),
                        description.orElse(user.description()), email.orElse(user.email()),
                        enabled.orElse(user.enabled()), defaultProject.orElse(user.defaultProjectId()));
                store.update(h, changed);
                hash.ifPresent(newHash -> store.setPasswordHash(h, id, newHash));
                return changed;
            });
        } catch (UnableToExecuteStatementException e) {
            throw duplicateOr(e, name.orElse(""));
        }
        Requests.respond(ctx, 200, Json.object().set("user", render(updated)));
    }

    public void delete(Context ctx) {
        String id = ctx.pathParam("user_id");
        policy.enforce("identity:delete_user", Requests.auth(ctx), Map.of("target.user.id", id));
        if (!jdbi.inTransaction(h -> store.delete(h, id))) {
            throw IdentityErrors.notFound("user", id);
        }
        ctx.status(204);
    }

    public void listProjects(Context ctx) {
        String id = ctx.pathParam("user_id");
        policy.enforce("identity:list_user_projects", Requests.auth(ctx), Map.of("target.user.id", id));
        if (jdbi.withHandle(h -> store.user(h, id)).isEmpty()) {
            throw IdentityErrors.notFound("user", id);
        }
        projects.respondWithProjectsOf(ctx, id, "/v3/users/" + id + "/projects");
    }

    private void checkDefaultProject(Handle h, Fields fields, Optional<String> projectId) {
        if (projectId.isPresent() && resources.project(h, projectId.get()).isEmpty()) {
            throw fields.invalidField("default_project_id", "Could not find project: " + projectId.get() + ".");
        }
    }

    private ObjectNode render(User user) {
        ObjectNode json = Json.object()
                .put("id", user.id())
                .put("name", user.name())
                .put("domain_id", user.domainId())
                .put("enabled", user.enabled())
                .putNull("password_expires_at");
        user.defaultProjectId().ifPresent(id -> json.put("default_project_id", id));
        user.description().ifPresent(d -> json.put("description", d));
        user.email().ifPresent(e -> json.put("email", e));
        json.putObject("options");
        json.set("links", links.self("/v3/users/" + user.id()));
        return json;
    }

    private static RuntimeException duplicateOr(UnableToExecuteStatementException e, String name) {
        return Constraints.isUniqueViolation(e) ? IdentityErrors.duplicate("user", name, "in the same domain") : e;
    }
}
