package dev.portside.identity.token;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portside.common.json.Json;
import dev.portside.identity.catalog.Catalog;
import dev.portside.identity.resource.Domain;
import dev.portside.identity.role.Role;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Optional;

/** A token body exactly as Keystone renders it. */
final class TokenJson {
    // Keystone: "2026-11-25T17:00:00.000000Z".
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
            .withZone(ZoneOffset.UTC);

    private TokenJson() {
    }

    static ObjectNode render(ValidToken token, Optional<Catalog> catalog) {
        ObjectNode body = Json.object();
        ObjectNode json = body.putObject("token");
        ArrayNode methods = json.putArray("methods");
        token.claims().methods().forEach(methods::add);
        ObjectNode user = json.putObject("user");
        user.set("domain", domainRef(token.userDomain()));
        user.put("id", token.user().id()).put("name", token.user().name()).putNull("password_expires_at");
        ArrayNode audits = json.putArray("audit_ids");
        token.claims().auditIds().forEach(audits::add);
        json.put("expires_at", time(token.claims().expiresAt()));
        json.put("issued_at", time(token.claims().issuedAt()));
        if (token.project().isPresent()) {
            ObjectNode project = json.putObject("project");
            token.scopeDomain().ifPresent(d -> project.set("domain", domainRef(d)));
            project.put("id", token.project().get().id()).put("name", token.project().get().name());
            json.put("is_domain", false);
        } else {
            token.scopeDomain().ifPresent(d -> json.set("domain", domainRef(d)));
        }
        if (token.project().isPresent() || token.scopeDomain().isPresent()) {
            ArrayNode roles = json.putArray("roles");
            for (Role role : token.roles()) {
                roles.addObject().put("id", role.id()).put("name", role.name());
            }
            catalog.ifPresent(c -> json.set("catalog", c.render()));
        }
        return body;
    }

    private static ObjectNode domainRef(Domain domain) {
        return Json.object().put("id", domain.id()).put("name", domain.name());
    }

    static String time(Instant instant) {
        return TIME.format(instant);
    }
}
