package dev.portside.identity;

import dev.portside.identity.limit.LimitApi;
import dev.portside.identity.resource.DomainApi;
import dev.portside.identity.resource.ProjectApi;
import dev.portside.identity.role.AssignmentApi;
import dev.portside.identity.role.RoleApi;
import dev.portside.identity.token.TokenApi;
import dev.portside.identity.user.UserApi;
import io.javalin.Javalin;

import static dev.portside.common.http.Access.PUBLIC;
import static dev.portside.identity.role.Assignment.Target.DOMAIN;
import static dev.portside.identity.role.Assignment.Target.PROJECT;

/** Every Identity v3 route Portside serves, in one place. */
public record IdentityApi(VersionApi versions, TokenApi tokens, DomainApi domains, ProjectApi projects, UserApi users,
                          RoleApi roles, AssignmentApi assignments, LimitApi limits, Runnable identityChanged) {

    public void register(Javalin app) {
        // Any successful write may change what a token grants (a user disabled, a role revoked, a
        // project deleted): remembered token validations are dropped. Issuing a token changes nothing.
        app.after(ctx -> {
            boolean write = !ctx.method().name().equals("GET") && !ctx.method().name().equals("HEAD");
            boolean issuing = ctx.method().name().equals("POST") && ctx.path().startsWith("/v3/auth/tokens");
            if (write && !issuing && ctx.statusCode() < 400) {
                identityChanged.run();
            }
        });

        app.get("/", versions::versions, PUBLIC);
        app.get("/v3", versions::v3, PUBLIC);

        app.post("/v3/auth/tokens", tokens::issue, PUBLIC);
        app.get("/v3/auth/tokens", tokens::validate);
        app.head("/v3/auth/tokens", tokens::check);
        app.delete("/v3/auth/tokens", tokens::revoke);
        app.get("/v3/auth/catalog", tokens::catalog);
        app.get("/v3/auth/projects", tokens::projects);
        app.get("/v3/auth/domains", tokens::domains);

        app.get("/v3/domains", domains::list);
        app.get("/v3/domains/{domain_id}", domains::show);

        app.post("/v3/projects", projects::create);
        app.get("/v3/projects", projects::list);
        app.get("/v3/projects/{project_id}", projects::show);
        app.patch("/v3/projects/{project_id}", projects::update);
        app.delete("/v3/projects/{project_id}", projects::delete);

        app.post("/v3/users", users::create);
        app.get("/v3/users", users::list);
        app.get("/v3/users/{user_id}", users::show);
        app.patch("/v3/users/{user_id}", users::update);
        app.delete("/v3/users/{user_id}", users::delete);
        app.get("/v3/users/{user_id}/projects", users::listProjects);

        app.post("/v3/roles", roles::create);
        app.get("/v3/roles", roles::list);
        app.get("/v3/roles/{role_id}", roles::show);
        app.delete("/v3/roles/{role_id}", roles::delete);

        String onProject = "/v3/projects/{project_id}/users/{user_id}/roles";
        app.get(onProject, ctx -> assignments.listOn(ctx, PROJECT));
        app.put(onProject + "/{role_id}", ctx -> assignments.grant(ctx, PROJECT));
        app.head(onProject + "/{role_id}", ctx -> assignments.check(ctx, PROJECT));
        app.get(onProject + "/{role_id}", ctx -> assignments.check(ctx, PROJECT));
        app.delete(onProject + "/{role_id}", ctx -> assignments.revoke(ctx, PROJECT));
        String onDomain = "/v3/domains/{domain_id}/users/{user_id}/roles";
        app.get(onDomain, ctx -> assignments.listOn(ctx, DOMAIN));
        app.put(onDomain + "/{role_id}", ctx -> assignments.grant(ctx, DOMAIN));
        app.head(onDomain + "/{role_id}", ctx -> assignments.check(ctx, DOMAIN));
        app.get(onDomain + "/{role_id}", ctx -> assignments.check(ctx, DOMAIN));
        app.delete(onDomain + "/{role_id}", ctx -> assignments.revoke(ctx, DOMAIN));
        app.get("/v3/role_assignments", assignments::listAll);

        app.get("/v3/services", limits::services);
        app.get("/v3/services/{service_id}", limits::service);
        app.get("/v3/limits/model", limits::model);
        app.post("/v3/registered_limits", limits::createRegistered);
        app.get("/v3/registered_limits", limits::listRegistered);
        app.get("/v3/registered_limits/{registered_limit_id}", limits::showRegistered);
        app.patch("/v3/registered_limits/{registered_limit_id}", limits::updateRegistered);
        app.delete("/v3/registered_limits/{registered_limit_id}", limits::deleteRegistered);
        app.post("/v3/limits", limits::createLimits);
        app.get("/v3/limits", limits::listLimits);
        app.get("/v3/limits/{limit_id}", limits::showLimit);
        app.patch("/v3/limits/{limit_id}", limits::updateLimit);
        app.delete("/v3/limits/{limit_id}", limits::deleteLimit);
    }
}
