package dev.portside.identity.token;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What a token carries, signed: who, which scope, how they authenticated, when it expires, and its
 * audit ids (its own first, then the chain's when it was rescoped from another token, as Keystone).
 * Roles are not carried: they are read at validation, so removing a grant takes effect at once.
 */
public record TokenClaims(String userId, List<String> methods, Optional<String> projectId, Optional<String> domainId,
                          Instant issuedAt, Instant expiresAt, List<String> auditIds) {
    public TokenClaims {
        methods = List.copyOf(methods);
        auditIds = List.copyOf(auditIds);
    }

    public String auditId() {
        return auditIds.getFirst();
    }
}
