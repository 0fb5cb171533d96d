package dev.portside.identity;

import dev.portside.common.auth.TokenValidator;
import dev.portside.common.db.Database;
import dev.portside.common.http.ErrorFormat;
import dev.portside.common.policy.Policy;
import dev.portside.identity.catalog.Catalog;
import dev.portside.identity.limit.LimitApi;
import dev.portside.identity.limit.Limits;
import dev.portside.identity.resource.DomainApi;
import dev.portside.identity.resource.ProjectApi;
import dev.portside.identity.resource.ResourceStore;
import dev.portside.identity.role.AssignmentApi;
import dev.portside.identity.role.RoleApi;
import dev.portside.identity.role.RoleStore;
import dev.portside.identity.token.SigningKey;
import dev.portside.identity.token.TokenApi;
import dev.portside.identity.token.TokenCodec;
import dev.portside.identity.token.TokenService;
import dev.portside.identity.user.PasswordHasher;
import dev.portside.identity.user.UserApi;
import dev.portside.identity.user.UserStore;
import io.javalin.Javalin;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/** The identity service, wired: its schema, its token validator for every service, and its routes. */
public final class Identity {
    /** How identity is configured: where clients reach it, token lifetime, bcrypt cost, the catalog, policy overrides. */
    public record Settings(String publicUrl, Duration tokenLifetime, int passwordHashCost, Catalog catalog,
                           Map<String, String> policyOverrides) {
    }

    private final TokenService tokens;
    private final IdentityApi api;
    private final Bootstrap bootstrap;
    private final Limits limits;

    public Identity(Database database, Settings settings, Clock clock) {
        database.migrate("identity");
        var jdbi = database.jdbi();
        ResourceStore resources = new ResourceStore();
        UserStore users = new UserStore();
        RoleStore roles = new RoleStore();
        PasswordHasher passwords = new PasswordHasher(settings.passwordHashCost(), clock);
        Policy policy = Policy.of(IdentityPolicy.DEFAULTS, settings.policyOverrides());
        Links links = new Links(settings.publicUrl());
        this.tokens = new TokenService(jdbi, resources, users, roles, passwords,
                new TokenCodec(SigningKey.loadOrCreate(jdbi)), settings.tokenLifetime(), clock);
        ProjectApi projects = new ProjectApi(jdbi, resources, policy, links);
        RoleApi roleApi = new RoleApi(jdbi, roles, policy, links);
        this.api = new IdentityApi(
                new VersionApi(settings.publicUrl()),
                new TokenApi(tokens, settings.catalog(), policy, links, projects, jdbi, roles, resources),
                new DomainApi(jdbi, resources, policy, links),
                projects,
                new UserApi(jdbi, users, resources, passwords, policy, links, projects),
                roleApi,
                new AssignmentApi(jdbi, roles, users, resources, policy, links, roleApi),
                new LimitApi(jdbi, settings.catalog(), policy, links),
                tokens::identityChanged);
        this.limits = new Limits(jdbi, settings.catalog());
        this.bootstrap = new Bootstrap(jdbi, resources, users, roles, passwords);
    }

    /** Creates the Default domain and the admin on first start; the admin's credentials when it did. */
    public Optional<Bootstrap.AdminCredentials> bootstrap() {
        return bootstrap.run();
    }

    /** Keystone's unified limits, for services that take their quotas from Keystone (Glance). */
    public Limits limits() {
        return limits;
    }

    public TokenValidator tokens() {
        return tokens;
    }

    public ErrorFormat errors() {
        return new IdentityErrors();
    }

    public void register(Javalin app) {
        api.register(app);
    }
}
