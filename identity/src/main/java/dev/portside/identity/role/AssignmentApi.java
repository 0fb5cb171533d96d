package dev.portside.identity.role;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portside.common.http.ApiException;
import dev.portside.common.http.Requests;
import dev.portside.common.json.Json;
import dev.portside.common.policy.Policy;
import dev.portside.identity.IdentityErrors;
import dev.portside.identity.Links;
import dev.portside.identity.Queries;
import dev.portside.identity.resource.Domain;
import dev.portside.identity.resource.Project;
import dev.portside.identity.resource.ResourceStore;
import dev.portside.identity.role.Assignment.Target;
import dev.portside.identity.user.User;
import dev.portside.identity.user.UserStore;
import io.javalin.http.Context;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.util.Map;
import java.util.Optional;

/**
 * Role grants: {@code /v3/projects/{p}/users/{u}/roles/{r}} and {@code /v3/domains/{d}/users/{u}/roles/{r}}
 * (PUT, HEAD, GET, DELETE), the role lists under them, and {@code GET /v3/role_assignments}.
 */
public final class AssignmentApi {
    private final Jdbi jdbi;
    private final RoleStore roles;
    private final UserStore users;
    private final ResourceStore resources;
    private final Policy policy;
    private final Links links;
    private final RoleApi roleJson;

    public AssignmentApi(Jdbi jdbi, RoleStore roles, UserStore users, ResourceStore resources, Policy policy, Links links,
                         RoleApi roleJson) {
        this.jdbi = jdbi;
        this.roles = roles;
        this.users = users;
        this.resources = resources;
        this.policy = policy;
        this.links = links;
        this.roleJson = roleJson;
    }

    public void grant(Context ctx, Target target) {
        Assignment assignment = assignment(ctx, target);
        policy.enforce("identity:create_grant", Requests.auth(ctx), Map.of());
        jdbi.useTransaction(h -> {
            checkExists(h, assignment);
            roles.grant(h, assignment);
        });
        ctx.status(204);
    }

    public void check(Context ctx, Target target) {
        Assignment assignment = assignment(ctx, target);
        policy.enforce("identity:check_grant", Requests.auth(ctx), Map.of());
        boolean held = jdbi.inTransaction(h -> {
            checkExists(h, assignment);
            return roles.has(h, assignment);
        });
        if (!held) {
            throw notAssigned(assignment);
        }
        ctx.status(204);
    }

    public void revoke(Context ctx, Target target) {
        Assignment assignment = assignment(ctx, target);
        policy.enforce("identity:revoke_grant", Requests.auth(ctx), Map.of());
        boolean revoked = jdbi.inTransaction(h -> {
            checkExists(h, assignment);
            return roles.revoke(h, assignment);
        });
        if (!revoked) {
            throw notAssigned(assignment);
        }
        ctx.status(204);
    }

    public void listOn(Context ctx, Target target) {
        String targetId = ctx.pathParam(target == Target.PROJECT ? "project_id" : "domain_id");
        String userId = ctx.pathParam("user_id");
        policy.enforce("identity:list_grants", Requests.auth(ctx), Map.of());
        ArrayNode items = Json.array();
        jdbi.withHandle(h -> {
            checkTarget(h, target, targetId);
            users.user(h, userId).orElseThrow(() -> IdentityErrors.notFound("user", userId));
            return roles.rolesOn(h, userId, target, targetId);
        }).forEach(role -> items.add(roleJson.render(role)));
        Requests.respond(ctx, 200, links.list("roles", items, ctx.path()));
    }

    public void listAll(Context ctx) {
        policy.enforce("identity:list_role_assignments", Requests.auth(ctx), Map.of());
        Optional<String> projectId = Queries.text(ctx, "scope.project.id");
        Optional<String> domainId = Queries.text(ctx, "scope.domain.id");
        if (projectId.isPresent() && domainId.isPresent()) {
            throw ApiException.badRequest("Specify one of scope.project.id and scope.domain.id, not both.");
        }
        if (Queries.text(ctx, "group.id").isPresent()) {
            // Portside has no groups: a group filter matches nothing, as it would in Keystone for a group without grants.
            Requests.respond(ctx, 200, links.list("role_assignments", Json.array(), "/v3/role_assignments"));
            return;
        }
        AssignmentFilter filter = new AssignmentFilter(Queries.text(ctx, "user.id"),
                projectId.map(p -> Target.PROJECT).or(() -> domainId.map(d -> Target.DOMAIN)),
                projectId.or(() -> domainId), Queries.text(ctx, "role.id"));
        boolean names = Queries.bool(ctx, "include_names").orElse(false);
        ArrayNode items = Json.array();
        jdbi.useHandle(h -> roles.assignments(h, filter).forEach(a -> items.add(render(h, a, names))));
        Requests.respond(ctx, 200, links.list("role_assignments", items, "/v3/role_assignments"));
    }

    private ObjectNode render(Handle h, Assignment a, boolean names) {
        String scopeKind = a.target() == Target.PROJECT ? "project" : "domain";
        ObjectNode json = Json.object();
        json.putObject("links").put("assignment", links.baseUrl() + "/v3/" + scopeKind + "s/" + a.targetId()
                + "/users/" + a.userId() + "/roles/" + a.roleId());
        ObjectNode role = json.putObject("role").put("id", a.roleId());
        ObjectNode user = json.putObject("user").put("id", a.userId());
        ObjectNode scope = json.putObject("scope").putObject(scopeKind).put("id", a.targetId());
        if (names) {
            roles.role(h, a.roleId()).ifPresent(r -> role.put("name", r.name()));
            users.user(h, a.userId()).ifPresent(u -> {
                user.put("name", u.name());
                user.set("domain", domainRef(h, u.domainId()));
            });
            if (a.target() == Target.PROJECT) {
                resources.project(h, a.targetId()).ifPresent(p -> {
                    scope.put("name", p.name());
                    scope.set("domain", domainRef(h, p.domainId()));
                });
            } else {
                resources.domain(h, a.targetId()).ifPresent(d -> scope.put("name", d.name()));
            }
        }
        return json;
    }

    private ObjectNode domainRef(Handle h, String domainId) {
        ObjectNode ref = Json.object().put("id", domainId);
        resources.domain(h, domainId).ifPresent(d -> ref.put("name", d.name()));
        return ref;
    }

    private static Assignment assignment(Context ctx, Target target) {
        String targetId = ctx.pathParam(target == Target.PROJECT ? "project_id" : "domain_id");
        return new Assignment(ctx.pathParam("user_id"), target, targetId, ctx.pathParam("role_id"));
    }

    private void checkExists(Handle h, Assignment a) {
        checkTarget(h, a.target(), a.targetId());
        Optional<User> user = users.user(h, a.userId());
        user.orElseThrow(() -> IdentityErrors.notFound("user", a.userId()));
        roles.role(h, a.roleId()).orElseThrow(() -> IdentityErrors.notFound("role", a.roleId()));
    }

    private void checkTarget(Handle h, Target target, String id) {
        if (target == Target.PROJECT) {
            Optional<Project> project = resources.project(h, id);
            project.orElseThrow(() -> IdentityErrors.notFound("project", id));
        } else {
            Optional<Domain> domain = resources.domain(h, id);
            domain.orElseThrow(() -> IdentityErrors.notFound("domain", id));
        }
    }

    private static ApiException notAssigned(Assignment a) {
        return new ApiException(404, "NotFound", "Could not find role assignment with role: " + a.roleId()
                + ", user or group: " + a.userId() + ", project, domain, or system: " + a.targetId() + ".");
    }
}
