package dev.portside.identity.token;

import java.util.List;
import java.util.Optional;

/** A parsed {@code POST /v3/auth/tokens} body: how the caller proves who they are, and the scope asked for. */
public record AuthRequest(List<String> methods, Optional<PasswordCredentials> password, Optional<String> token,
                          ScopeRequest scope) {
    public AuthRequest {
        methods = List.copyOf(methods);
    }

    /** A domain named by id or by name. */
    public record DomainRef(Optional<String> id, Optional<String> name) {
    }

    /** A user named by id, or by name within a domain, with the password they gave. */
    public record PasswordCredentials(Optional<String> userId, Optional<String> userName, Optional<DomainRef> domain,
                                      String password) {
    }

    /** The scope asked for; with none given Keystone scopes to the user's default project when it can. */
    public sealed interface ScopeRequest {
        record Default() implements ScopeRequest {
        }

        record Unscoped() implements ScopeRequest {
        }

        record Project(Optional<String> id, Optional<String> name, Optional<DomainRef> domain) implements ScopeRequest {
        }

        record Domain(DomainRef domain) implements ScopeRequest {
        }
    }
}
