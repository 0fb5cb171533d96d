package dev.portside.compute.keypair;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.portside.common.auth.AuthContext;
import dev.portside.common.db.Constraints;
import dev.portside.common.http.Requests;
import dev.portside.common.json.Fields;
import dev.portside.common.json.Json;
import dev.portside.common.policy.Policy;
import dev.portside.compute.quota.ComputeQuotas;
import dev.portside.compute.Microversion;
import dev.portside.compute.NovaErrors;
import io.javalin.http.Context;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** {@code /os-keypairs}: import or generate, list, show, delete; each user sees only their own unless admin (2.10). */
public final class KeypairApi {
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9 _-]{1,255}");
    private static final Set<String> TYPES = Set.of("ssh", "x509");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS")
            .withZone(ZoneOffset.UTC);

    private final Jdbi jdbi;
    private final KeypairStore keypairs;
    private final Policy policy;
    private final Clock clock;

    public KeypairApi(Jdbi jdbi, KeypairStore keypairs, Policy policy, Clock clock, ComputeQuotas quotas) {
        this.quotas = quotas;
        this.jdbi = jdbi;
        this.keypairs = keypairs;
        this.policy = policy;
        this.clock = clock;
    }

    private final ComputeQuotas quotas;

    public void create(Context ctx) {
        AuthContext caller = Requests.auth(ctx);
        Microversion version = Microversion.of(ctx);
        Set<String> allowed = version.atLeast(10) ? Set.of("name", "public_key", "type", "user_id")
                : version.atLeast(2) ? Set.of("name", "public_key", "type") : Set.of("name", "public_key");
        Fields fields = Fields.wrapped(Requests.jsonBody(ctx), "keypair", allowed);
        String name = fields.requiredString("name", 255);
        if (!NAME.matcher(name).matches()) {
            throw NovaErrors.badRequest("Keypair data is invalid: Keypair name contains unsafe characters");
        }
        String type = fields.string("type", 8).orElse("ssh");
        if (!TYPES.contains(type)) {
            throw NovaErrors.badRequest("Invalid input for field/attribute type. Value: " + type + ". '" + type
                    + "' is not one of ['ssh', 'x509']");
        }
        String userId = fields.string("user_id", 64).orElse(caller.userId());
        policy.enforce("os_compute_api:os-keypairs:create", caller, Map.of("user_id", userId));
        Optional<String> imported = fields.string("public_key", 65535);
        Optional<SshKeys.Generated> generated = imported.isPresent() ? Optional.empty()
                : Optional.of(SshKeys.generate("Generated-by-Portside"));
        String publicKey = imported.orElseGet(() -> generated.orElseThrow().publicKey()).trim();
        String fingerprint = SshKeys.fingerprint(publicKey).orElseThrow(() -> NovaErrors.badRequest(
                "Keypair data is invalid: failed to generate fingerprint"));
        Keypair keypair;
        try {
            keypair = jdbi.inTransaction(h -> {
                caller.projectId().ifPresent(project -> quotas.claimKeypair(h, project, userId));
                if (keypairs.find(h, userId, name).isPresent()) {
                    throw duplicate(name);
                }
                return keypairs.insert(h, userId, name, type, publicKey, fingerprint,
                        clock.instant().truncatedTo(ChronoUnit.MICROS));
            });
        } catch (UnableToExecuteStatementException e) {
            if (Constraints.isUniqueViolation(e)) {
                throw duplicate(name);
            }
            throw e;
        }
        ObjectNode json = brief(keypair, version).put("user_id", keypair.userId());
        generated.ifPresent(g -> json.put("private_key", g.privateKey()));
        Requests.respond(ctx, version.atLeast(2) ? 201 : 200, Json.object().set("keypair", json));
    }

    public void list(Context ctx) {
        AuthContext caller = Requests.auth(ctx);
        String userId = userOf(ctx, caller, "os_compute_api:os-keypairs:index");
        ObjectNode body = Json.object();
        ArrayNode items = body.putArray("keypairs");
        jdbi.withHandle(h -> keypairs.ofUser(h, userId))
                .forEach(k -> items.addObject().set("keypair", brief(k, Microversion.of(ctx))));
        Requests.respond(ctx, 200, body);
    }

    public void show(Context ctx) {
        AuthContext caller = Requests.auth(ctx);
        String userId = userOf(ctx, caller, "os_compute_api:os-keypairs:show");
        String name = ctx.pathParam("keypair_name");
        Keypair k = jdbi.withHandle(h -> keypairs.find(h, userId, name)).orElseThrow(() -> notFound(name, userId));
        ObjectNode json = brief(k, Microversion.of(ctx)).put("user_id", k.userId()).put("id", k.id())
                .put("created_at", TIME.format(k.createdAt())).put("deleted", false).putNull("deleted_at")
                .putNull("updated_at");
        Requests.respond(ctx, 200, Json.object().set("keypair", json));
    }

    public void delete(Context ctx) {
        AuthContext caller = Requests.auth(ctx);
        String userId = userOf(ctx, caller, "os_compute_api:os-keypairs:delete");
        String name = ctx.pathParam("keypair_name");
        if (!jdbi.inTransaction(h -> keypairs.delete(h, userId, name))) {
            throw notFound(name, userId);
        }
        ctx.status(Microversion.of(ctx).atLeast(2) ? 204 : 202);
    }

    /** The key pair a server is created with, with its public key; a name the user does not have is a 400, as in Nova. */
    public Keypair forServer(AuthContext caller, String name) {
        return jdbi.withHandle(h -> keypairs.find(h, caller.userId(), name))
                .orElseThrow(() -> NovaErrors.badRequest("Invalid key_name provided."));
    }

    // From 2.10 an admin may name another user with ?user_id=.
    private String userOf(Context ctx, AuthContext caller, String action) {
        String userId = Microversion.of(ctx).atLeast(10)
                ? Optional.ofNullable(ctx.queryParam("user_id")).orElse(caller.userId()) : caller.userId();
        policy.enforce(action, caller, Map.of("user_id", userId));
        return userId;
    }

    private static ObjectNode brief(Keypair k, Microversion version) {
        ObjectNode json = Json.object().put("name", k.name()).put("public_key", k.publicKey())
                .put("fingerprint", k.fingerprint());
        if (version.atLeast(2)) {
            json.put("type", k.type());
        }
        return json;
    }

    private static dev.portside.common.http.ApiException duplicate(String name) {
        return NovaErrors.conflict("Key pair '" + name + "' already exists.");
    }

    private static dev.portside.common.http.ApiException notFound(String name, String userId) {
        return NovaErrors.notFound("Keypair " + name + " not found for user " + userId);
    }
}
