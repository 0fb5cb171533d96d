package dev.portside.common.auth;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Who is calling, as a validated token says: the user, the scope (a project or a domain, or none)
 * and the role names they hold on that scope. Every service's policy checks read this.
 */
public record AuthContext(
        String userId,
        String userName,
        String userDomainId,
        Optional<Scope> project,
        Optional<Scope> domain,
        Set<String> roles,
        List<String> methods,
        Instant expiresAt,
        List<String> auditIds) {

    /** A project or domain the token is scoped to. */
    public record Scope(String id, String name, String domainId) {
    }

    public AuthContext {
        roles = Set.copyOf(roles);
        methods = List.copyOf(methods);
        auditIds = List.copyOf(auditIds);
    }

    public boolean hasRole(String role) {
        return roles.contains(role);
    }

    public Optional<String> projectId() {
        return project.map(Scope::id);
    }

    public Optional<String> domainId() {
        return domain.map(Scope::id);
    }
}
