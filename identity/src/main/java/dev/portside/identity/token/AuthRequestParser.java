package dev.portside.identity.token;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portside.common.json.Fields;
import dev.portside.identity.token.AuthRequest.DomainRef;
import dev.portside.identity.token.AuthRequest.PasswordCredentials;
import dev.portside.identity.token.AuthRequest.ScopeRequest;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Reads the body of {@code POST /v3/auth/tokens} as Keystone's JSON schema for it does. */
final class AuthRequestParser {
    private static final int MAX_PASSWORD = 4096;
    private static final int MAX_ID = 64;
    private static final int MAX_NAME = 255;
    private static final Set<String> REF = Set.of("id", "name", "domain");

    private AuthRequestParser() {
    }

    static AuthRequest parse(ObjectNode body) {
        Fields auth = Fields.wrapped(body, "auth", Set.of("identity", "scope"));
        Fields identity = auth.requiredObject("identity", Set.of("methods", "password", "token"));
        List<String> methods = identity.strings("methods", MAX_NAME)
                .orElseThrow(() -> identity.invalidField("methods", "'methods' is a required property"));
        if (methods.isEmpty()) {
            throw identity.invalidField("methods", "[] is too short");
        }
        Optional<PasswordCredentials> password = identity.object("password", Set.of("user"))
                .map(AuthRequestParser::password);
        Optional<String> token = identity.object("token", Set.of("id"))
                .map(fields -> fields.requiredString("id", 8192));
        return new AuthRequest(methods, password, token, scope(auth));
    }

    private static PasswordCredentials password(Fields password) {
        Fields user = password.requiredObject("user", Set.of("id", "name", "domain", "password"));
        Optional<String> id = user.string("id", MAX_ID);
        Optional<String> name = user.string("name", MAX_NAME);
        if (id.isEmpty() && name.isEmpty()) {
            throw user.invalidField("id", "a user is named by 'id', or by 'name' and 'domain'");
        }
        Optional<DomainRef> domain = user.object("domain", Set.of("id", "name")).map(AuthRequestParser::domain);
        return new PasswordCredentials(id, name, domain, user.requiredString("password", MAX_PASSWORD));
    }

    private static ScopeRequest scope(Fields auth) {
        JsonNode scope = auth.node().get("scope");
        if (scope == null) {
            return new ScopeRequest.Default();
        }
        if (scope.isTextual() && scope.textValue().equals("unscoped")) {
            return new ScopeRequest.Unscoped();
        }
        Fields fields = auth.requiredObject("scope", Set.of("project", "domain"));
        if (fields.has("project") && fields.has("domain")) {
            throw fields.invalidField("project", "a token is scoped to a project or to a domain, not both");
        }
        Optional<Fields> project = fields.object("project", REF);
        if (project.isPresent()) {
            Fields p = project.get();
            Optional<String> id = p.string("id", MAX_ID);
            Optional<String> name = p.string("name", MAX_NAME);
            if (id.isEmpty() && name.isEmpty()) {
                throw p.invalidField("id", "a project is named by 'id', or by 'name' and 'domain'");
            }
            return new ScopeRequest.Project(id, name, p.object("domain", Set.of("id", "name")).map(AuthRequestParser::domain));
        }
        return fields.object("domain", Set.of("id", "name"))
                .<ScopeRequest>map(d -> new ScopeRequest.Domain(domain(d)))
                .orElseThrow(() -> fields.invalidField("project", "a scope names a project or a domain"));
    }

    private static DomainRef domain(Fields domain) {
        Optional<String> id = domain.string("id", MAX_ID);
        Optional<String> name = domain.string("name", MAX_NAME);
        if (id.isEmpty() && name.isEmpty()) {
            throw domain.invalidField("id", "a domain is named by 'id' or 'name'");
        }
        return new DomainRef(id, name);
    }
}
