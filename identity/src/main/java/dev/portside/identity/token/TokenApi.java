package dev.portside.identity.token;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.portside.common.http.ApiException;
import dev.portside.common.http.Requests;
import dev.portside.common.json.Json;
import dev.portside.common.policy.Policy;
import dev.portside.identity.Links;
import dev.portside.identity.catalog.Catalog;
import dev.portside.identity.resource.ProjectApi;
import dev.portside.identity.resource.ResourceJson;
import dev.portside.identity.resource.ResourceStore;
import dev.portside.identity.role.Assignment;
import dev.portside.identity.role.AssignmentFilter;
import dev.portside.identity.role.RoleStore;
import io.javalin.http.Context;
import org.jdbi.v3.core.Jdbi;

import java.util.Map;
import java.util.Optional;

/** {@code /v3/auth/*}: issue, validate, check and revoke tokens; the token's catalog, projects and domains. */
public final class TokenApi {
    private static final String SUBJECT_TOKEN = "X-Subject-Token";

    private final TokenService tokens;
    private final Catalog catalog;
    private final Policy policy;
    private final Links links;
    private final ProjectApi projects;
    private final Jdbi jdbi;
    private final RoleStore roles;
    private final ResourceStore resources;

    public TokenApi(TokenService tokens, Catalog catalog, Policy policy, Links links, ProjectApi projects, Jdbi jdbi,
                    RoleStore roles, ResourceStore resources) {
        this.tokens = tokens;
        this.catalog = catalog;
        this.policy = policy;
        this.links = links;
        this.projects = projects;
        this.jdbi = jdbi;
        this.roles = roles;
        this.resources = resources;
    }

    public void issue(Context ctx) {
        ValidToken token = tokens.issue(AuthRequestParser.parse(Requests.jsonBody(ctx)));
        ctx.header(SUBJECT_TOKEN, token.id());
        Requests.respond(ctx, 201, TokenJson.render(token, withCatalog(ctx)));
    }

    public void validate(Context ctx) {
        ValidToken token = subject(ctx);
        ctx.header(SUBJECT_TOKEN, token.id());
        Requests.respond(ctx, 200, TokenJson.render(token, withCatalog(ctx)));
    }

    public void check(Context ctx) {
        ValidToken token = subject(ctx);
        ctx.header(SUBJECT_TOKEN, token.id());
        ctx.status(200);
    }

    public void revoke(Context ctx) {
        ValidToken token = subject(ctx, "identity:revoke_token");
        tokens.revoke(token);
        ctx.status(204);
    }

    public void catalog(Context ctx) {
        Requests.auth(ctx);
        Requests.respond(ctx, 200, links.list("catalog", catalog.render(), "/v3/auth/catalog"));
    }

    public void projects(Context ctx) {
        projects.respondWithProjectsOf(ctx, Requests.auth(ctx).userId(), "/v3/auth/projects");
    }

    public void domains(Context ctx) {
        String userId = Requests.auth(ctx).userId();
        ResourceJson json = new ResourceJson(links);
        ArrayNode items = Json.array();
        jdbi.useHandle(h -> roles.assignments(h, new AssignmentFilter(Optional.of(userId),
                        Optional.of(Assignment.Target.DOMAIN), Optional.empty(), Optional.empty())).stream()
                .map(Assignment::targetId).distinct()
                .forEach(id -> resources.domain(h, id).ifPresent(d -> items.add(json.domain(d)))));
        Requests.respond(ctx, 200, links.list("domains", items, "/v3/auth/domains"));
    }

    private Optional<Catalog> withCatalog(Context ctx) {
        return ctx.queryParam("nocatalog") == null ? Optional.of(catalog) : Optional.empty();
    }

    private ValidToken subject(Context ctx) {
        return subject(ctx, "identity:validate_token");
    }

    private ValidToken subject(Context ctx, String action) {
        String subject = ctx.header(SUBJECT_TOKEN);
        if (subject == null || subject.isBlank()) {
            throw ApiException.badRequest("The X-Subject-Token header is required.");
        }
        Optional<ValidToken> token = tokens.validateToken(subject.trim());
        // Keystone checks policy against the subject token's user; an invalid subject is simply "not found".
        policy.enforce(action, Requests.auth(ctx), Map.of("target.token.user_id",
                token.map(t -> t.user().id()).orElse("")));
        return token.orElseThrow(() -> new ApiException(404, "NotFound", "Failed to validate token"));
    }
}
