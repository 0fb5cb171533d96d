package dev.portside.network;

import dev.portside.common.auth.AuthContext;
import dev.portside.common.http.ApiException;
import dev.portside.common.json.Fields;
import dev.portside.common.policy.Policy;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/** Neutron's standard attributes, shared by every resource: owner, description, timestamps, revision. */
public final class StandardAttributes {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss'Z'")
            .withZone(ZoneOffset.UTC);
    private static final Pattern UUID_TEXT = Pattern.compile(
            "[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}");
    private static final Pattern IF_MATCH = Pattern.compile("revision_number=(\\d{1,18})");

    private StandardAttributes() {
    }

    /** A timestamp as Neutron writes it: "2026-12-01T10:00:00Z". */
    public static String time(Instant instant) {
        return TIME.format(instant);
    }

    public static String newId() {
        return UUID.randomUUID().toString();
    }

    /**
     * The project a new resource belongs to: the caller's, unless an admin names another with
     * tenant_id or project_id (both may be given, but must agree), as Neutron's API layer checks.
     */
    public static String owner(Fields fields, AuthContext caller, Policy policy) {
        Optional<String> tenant = fields.string("tenant_id", 64);
        Optional<String> project = fields.string("project_id", 64);
        if (tenant.isPresent() && project.isPresent() && !tenant.equals(project)) {
            throw NeutronErrors.invalidInput("'project_id' and 'tenant_id' do not match");
        }
        Optional<String> named = project.or(() -> tenant);
        String own = caller.projectId().orElseThrow(() -> new ApiException(400, "HTTPBadRequest",
                "A project-scoped token is needed to create networking resources."));
        if (named.isPresent() && !named.get().equals(own)) {
            if (!policy.allows("create_for_another_project", caller, Map.of())) {
                throw new ApiException(400, "HTTPBadRequest", "Specifying 'project_id' or 'tenant_id' other than the"
                        + " authenticated project in request requires admin privileges");
            }
            return named.get();
        }
        return own;
    }

    /**
     * Whose resources a list starts from: empty for an admin (every project's), else the caller's
     * project. Policy then filters what the caller may see of them (shared networks, for instance).
     */
    public static Optional<String> listScope(Policy policy, AuthContext caller) {
        return policy.allows("context_is_admin", caller, Map.of()) ? Optional.empty() : caller.projectId();
    }

    /** Neutron's UUID check for ids named in a body ("Invalid input for network_id. Reason: 'x' is not a valid UUID."). */
    public static String uuid(String attribute, String value) {
        if (!UUID_TEXT.matcher(value).matches()) {
            throw NeutronErrors.invalidAttribute(attribute, "'" + value + "' is not a valid UUID.");
        }
        return value;
    }

    /** revision-if-match: an {@code If-Match: revision_number=N} header that names another revision is a 412. */
    public static void checkRevision(Optional<String> ifMatch, long current) {
        if (ifMatch.isEmpty()) {
            return;
        }
        // Neutron reads nothing but revision_number=N here; anything else (an ETag, a number too large)
        // would otherwise be ignored and the update applied unconstrained, so it is refused instead.
        var matcher = IF_MATCH.matcher(ifMatch.get().trim());
        long expected;
        try {
            if (!matcher.matches()) {
                throw new NumberFormatException();
            }
            expected = Long.parseLong(matcher.group(1));
        } catch (NumberFormatException e) {
            throw new ApiException(400, "HTTPBadRequest", "Invalid If-Match header: expected revision_number=N.");
        }
        if (expected != current) {
            throw NeutronErrors.revisionMismatch(expected, current);
        }
    }

    /** A name or description: at most 255 characters, as Neutron's attribute definitions allow. */
    public static Optional<String> text(Fields fields, String name) {
        return fields.string(name, 255);
    }
}
