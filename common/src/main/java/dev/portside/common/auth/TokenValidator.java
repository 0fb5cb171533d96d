package dev.portside.common.auth;

import java.util.Optional;

/**
 * Validates an {@code X-Auth-Token} for any service. The identity service implements it in-process;
 * a keystonemiddleware-like HTTP client could implement it against a remote Keystone.
 */
public interface TokenValidator {
    /** The token's context, or empty when the token is malformed, expired, revoked or its user or scope is gone. */
    Optional<AuthContext> validate(String token);
}
