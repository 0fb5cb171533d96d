package dev.portside.identity.token;

import dev.portside.common.auth.AuthContext;
import dev.portside.identity.resource.Domain;
import dev.portside.identity.resource.Project;
import dev.portside.identity.role.Role;
import dev.portside.identity.user.User;

import java.util.List;
import java.util.Optional;

/** A token that validated, with what it names resolved as of now. */
public record ValidToken(String id, TokenClaims claims, User user, Domain userDomain, Optional<Project> project,
                         Optional<Domain> scopeDomain, List<Role> roles) {
    public ValidToken {
        roles = List.copyOf(roles);
    }

    /** The scope's domain: the project's domain for a project token, the domain itself for a domain token. */
    public AuthContext context() {
        return new AuthContext(user.id(), user.name(), user.domainId(),
                project.map(p -> new AuthContext.Scope(p.id(), p.name(), p.domainId())),
                project.isPresent() ? Optional.empty()
                        : scopeDomain.map(d -> new AuthContext.Scope(d.id(), d.name(), d.id())),
                roles.stream().map(Role::name).collect(java.util.stream.Collectors.toSet()),
                claims.methods(), claims.expiresAt(), claims.auditIds());
    }
}
