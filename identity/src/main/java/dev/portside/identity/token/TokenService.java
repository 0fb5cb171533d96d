package dev.portside.identity.token;

import dev.portside.common.auth.AuthContext;
import dev.portside.common.auth.TokenValidator;
import dev.portside.common.http.ApiException;
import dev.portside.identity.resource.Domain;
import dev.portside.identity.resource.Project;
import dev.portside.identity.resource.ResourceStore;
import dev.portside.identity.role.Assignment;
import dev.portside.identity.role.Role;
import dev.portside.identity.role.RoleStore;
import dev.portside.identity.token.AuthRequest.DomainRef;
import dev.portside.identity.token.AuthRequest.PasswordCredentials;
import dev.portside.identity.token.AuthRequest.ScopeRequest;
import dev.portside.identity.user.PasswordHasher;
import dev.portside.identity.user.User;
import dev.portside.identity.user.UserStore;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Issues, validates and revokes tokens, with Keystone's rules: password or token methods; project,
 * domain or no scope (the user's default project when none is asked and they have a role there);
 * a token is valid only while it is unexpired, unrevoked, its user enabled, and its scope enabled
 * with at least one role on it.
 */
public final class TokenService implements TokenValidator {
    private final Jdbi jdbi;
    private final ResourceStore resources;
    private final UserStore users;
    private final RoleStore roles;
    private final PasswordHasher passwords;
    private final TokenCodec codec;
    private final Duration lifetime;
    private final Clock clock;
    private static final Duration CACHE_FOR = Duration.ofSeconds(30);
    private static final int CACHE_SIZE = 10_000;
    private final java.util.concurrent.ConcurrentHashMap<String, Cached> cache = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong generation = new java.util.concurrent.atomic.AtomicLong();

    /** A validation remembered, valid while nothing changed (same generation) and until {@code until}. */
    private record Cached(ValidToken token, long generation, Instant until) {
    }

    public TokenService(Jdbi jdbi, ResourceStore resources, UserStore users, RoleStore roles, PasswordHasher passwords,
                        TokenCodec codec, Duration lifetime, Clock clock) {
        this.jdbi = jdbi;
        this.resources = resources;
        this.users = users;
        this.roles = roles;
        this.passwords = passwords;
        this.codec = codec;
        this.lifetime = lifetime;
        this.clock = clock;
    }

    /** Authenticates and issues a token; any failure to authenticate is a 401 that says no more than Keystone does. */
    public ValidToken issue(AuthRequest request) {
        for (String method : request.methods()) {
            if (!method.equals("password") && !method.equals("token")) {
                throw new ApiException(401, "Unauthorized", "Attempted to authenticate with an unsupported method.");
            }
        }
        // The password is checked before the transaction: bcrypt is slow on purpose, and must not hold a connection.
        Optional<User> authenticated = request.methods().contains("password")
                ? Optional.of(checkPassword(request.password().orElseThrow(() -> ApiException.badRequest(
                        "The 'password' method needs 'identity/password' in the request."))))
                : Optional.empty();
        return jdbi.inTransaction(h -> {
            Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
            User user;
            Instant expiresAt = now.plus(lifetime);
            List<String> auditIds = new ArrayList<>(List.of(newAuditId()));
            if (authenticated.isPresent()) {
                user = authenticated.get();
            } else {
                String parentId = request.token().orElseThrow(() -> ApiException.badRequest(
                        "The 'token' method needs 'identity/token/id' in the request."));
                ValidToken parent = validate(h, parentId).orElseThrow(ApiException::unauthorized);
                user = parent.user();
                expiresAt = parent.claims().expiresAt();
                auditIds.add(parent.claims().auditIds().getLast());
            }
            Scope scope = resolveScope(h, user, request.scope());
            TokenClaims claims = new TokenClaims(user.id(), request.methods(), scope.projectId(), scope.domainId(),
                    now, expiresAt, auditIds);
            // Resolved directly: a token made a moment ago needs no signature check or revocation lookup.
            return resolve(h, codec.encode(claims), claims).orElseThrow(ApiException::unauthorized);
        });
    }

    @Override
    public Optional<AuthContext> validate(String token) {
        return validateToken(token).map(ValidToken::context);
    }

    /**
     * A token's validation, remembered for up to {@link #CACHE_FOR} (keystonemiddleware caches for five
     * minutes by default). Any identity change in this process ({@link #identityChanged()}) drops every
     * remembered validation, so a revocation, a disabled user or a removed role takes effect at once.
     */
    public Optional<ValidToken> validateToken(String token) {
        Instant now = clock.instant();
        long current = generation.get();
        Cached hit = cache.get(token);
        if (hit != null && hit.generation() == current && hit.until().isAfter(now)) {
            return Optional.of(hit.token());
        }
        Optional<ValidToken> valid = jdbi.withHandle(h -> validate(h, token));
        valid.ifPresent(v -> {
            if (cache.size() >= CACHE_SIZE) {
                cache.clear();
            }
            Instant until = now.plus(CACHE_FOR);
            cache.put(token, new Cached(v, current, until.isBefore(v.claims().expiresAt()) ? until : v.claims().expiresAt()));
        });
        return valid;
    }

    /** Something a token's validity depends on changed: forget every remembered validation. */
    public void identityChanged() {
        generation.incrementAndGet();
    }

    /** Revokes one token (not others rescoped from it), as {@code DELETE /v3/auth/tokens} does in Keystone. */
    public void revoke(ValidToken token) {
        jdbi.useTransaction(h -> {
            h.createUpdate("DELETE FROM identity_revoked_token WHERE expires_at < :now")
                    .bind("now", clock.instant()).execute();
            h.createUpdate("INSERT INTO identity_revoked_token (audit_id, expires_at) VALUES (:audit, :expires)"
                            + " ON CONFLICT DO NOTHING")
                    .bind("audit", token.claims().auditId()).bind("expires", token.claims().expiresAt())
                    .execute();
        });
        // After the commit: a validation that read the cache generation before this point cannot be kept.
        identityChanged();
    }

    private Optional<ValidToken> validate(Handle h, String token) {
        Optional<TokenClaims> decoded = codec.decode(token);
        if (decoded.isEmpty() || decoded.get().auditIds().isEmpty()
                || !decoded.get().expiresAt().isAfter(clock.instant()) || isRevoked(h, decoded.get().auditId())) {
            return Optional.empty();
        }
        return resolve(h, token, decoded.get());
    }

    /** What the claims name, as of now: valid only while the user, its domain and the scope are enabled, with roles. */
    private Optional<ValidToken> resolve(Handle h, String token, TokenClaims claims) {
        Optional<User> user = users.user(h, claims.userId()).filter(User::enabled);
        if (user.isEmpty()) {
            return Optional.empty();
        }
        Optional<Domain> userDomain = resources.domain(h, user.get().domainId()).filter(Domain::enabled);
        if (userDomain.isEmpty()) {
            return Optional.empty();
        }
        Optional<Project> project = Optional.empty();
        Optional<Domain> scopeDomain = Optional.empty();
        List<Role> granted = List.of();
        if (claims.projectId().isPresent()) {
            project = resources.project(h, claims.projectId().get()).filter(Project::enabled);
            if (project.isEmpty()) {
                return Optional.empty();
            }
            scopeDomain = resources.domain(h, project.get().domainId()).filter(Domain::enabled);
            granted = roles.effectiveRolesOn(h, claims.userId(), Assignment.Target.PROJECT, project.get().id());
        } else if (claims.domainId().isPresent()) {
            scopeDomain = resources.domain(h, claims.domainId().get()).filter(Domain::enabled);
            if (scopeDomain.isEmpty()) {
                return Optional.empty();
            }
            granted = roles.effectiveRolesOn(h, claims.userId(), Assignment.Target.DOMAIN, scopeDomain.get().id());
        }
        boolean scoped = claims.projectId().isPresent() || claims.domainId().isPresent();
        if (scoped && (granted.isEmpty() || scopeDomain.isEmpty())) {
            return Optional.empty();
        }
        return Optional.of(new ValidToken(token, claims, user.get(), userDomain.get(), project, scopeDomain, granted));
    }

    private boolean isRevoked(Handle h, String auditId) {
        return h.createQuery("SELECT COUNT(*) FROM identity_revoked_token WHERE audit_id = :audit")
                .bind("audit", auditId).mapTo(Integer.class).one() > 0;
    }

    private record StoredCredentials(User user, String passwordHash) {
    }

    private User checkPassword(PasswordCredentials credentials) {
        Optional<StoredCredentials> stored = jdbi.withHandle(h -> {
            Optional<User> user;
            if (credentials.userId().isPresent()) {
                user = users.user(h, credentials.userId().get());
            } else {
                Optional<Domain> domain = credentials.domain().flatMap(ref -> findDomain(h, ref));
                user = domain.flatMap(d -> users.userByName(h, d.id(), credentials.userName().orElseThrow()));
            }
            return user.filter(User::enabled)
                    .flatMap(u -> users.passwordHash(h, u.id()).map(hash -> new StoredCredentials(u, hash)));
        });
        if (stored.isEmpty()) {
            passwords.verifyNothing(credentials.password());
            throw ApiException.unauthorized();
        }
        if (!passwords.verify(credentials.password(), stored.get().passwordHash())) {
            throw ApiException.unauthorized();
        }
        return stored.get().user();
    }

    private record Scope(Optional<String> projectId, Optional<String> domainId) {
    }

    private Scope resolveScope(Handle h, User user, ScopeRequest request) {
        return switch (request) {
            case ScopeRequest.Unscoped unscoped -> new Scope(Optional.empty(), Optional.empty());
            case ScopeRequest.Default unasked -> new Scope(user.defaultProjectId()
                    .filter(id -> !roles.rolesOn(h, user.id(), Assignment.Target.PROJECT, id).isEmpty()), Optional.empty());
            case ScopeRequest.Project asked -> {
                Optional<Project> project = asked.id().isPresent()
                        ? resources.project(h, asked.id().get())
                        : asked.domain().flatMap(ref -> findDomain(h, ref))
                                .flatMap(d -> resources.projectByName(h, d.id(), asked.name().orElseThrow()));
                Project found = project.filter(Project::enabled).orElseThrow(ApiException::unauthorized);
                if (roles.rolesOn(h, user.id(), Assignment.Target.PROJECT, found.id()).isEmpty()) {
                    throw new ApiException(401, "Unauthorized",
                            "User " + user.id() + " has no access to project " + found.id() + ".");
                }
                yield new Scope(Optional.of(found.id()), Optional.empty());
            }
            case ScopeRequest.Domain asked -> {
                Domain found = findDomain(h, asked.domain()).filter(Domain::enabled).orElseThrow(ApiException::unauthorized);
                if (roles.rolesOn(h, user.id(), Assignment.Target.DOMAIN, found.id()).isEmpty()) {
                    throw new ApiException(401, "Unauthorized",
                            "User " + user.id() + " has no access to domain " + found.id() + ".");
                }
                yield new Scope(Optional.empty(), Optional.of(found.id()));
            }
        };
    }

    private Optional<Domain> findDomain(Handle h, DomainRef ref) {
        return ref.id().isPresent() ? resources.domain(h, ref.id().get()) : resources.domainByName(h, ref.name().orElseThrow());
    }

    private static String newAuditId() {
        UUID uuid = UUID.randomUUID();
        java.nio.ByteBuffer bytes = java.nio.ByteBuffer.allocate(16);
        bytes.putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits());
        // Keystone's audit ids are 16 random bytes in URL-safe base64 without padding (22 characters).
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array());
    }
}
