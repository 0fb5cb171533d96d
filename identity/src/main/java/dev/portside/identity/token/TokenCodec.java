package dev.portside.identity.token;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import dev.portside.common.json.Json;

import java.text.ParseException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Tokens as compact JWS (HS256), like Keystone's JWS token provider: the id a client holds is the
 * signed claims themselves, so validating one needs no lookup beyond the revocation list.
 */
public final class TokenCodec {
    private final MACSigner signer;
    private final MACVerifier verifier;

    public TokenCodec(byte[] secret) {
        try {
            this.signer = new MACSigner(secret);
            this.verifier = new MACVerifier(secret);
        } catch (JOSEException e) {
            throw new IllegalArgumentException("token signing key must be at least 256 bits", e);
        }
    }

    public String encode(TokenClaims claims) {
        ObjectNode payload = Json.object()
                .put("user_id", claims.userId())
                .put("issued_at", claims.issuedAt().getEpochSecond())
                .put("expires_at", claims.expiresAt().getEpochSecond());
        claims.projectId().ifPresent(id -> payload.put("project_id", id));
        claims.domainId().ifPresent(id -> payload.put("domain_id", id));
        ArrayNode methods = payload.putArray("methods");
        claims.methods().forEach(methods::add);
        ArrayNode audits = payload.putArray("audit_ids");
        claims.auditIds().forEach(audits::add);
        JWSObject jws = new JWSObject(new JWSHeader(JWSAlgorithm.HS256), new Payload(Json.write(payload)));
        try {
            jws.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("HS256 signing cannot fail with a valid key", e);
        }
        return jws.serialize();
    }

    /** The claims of a well-formed token with a good signature; empty for anything else. */
    public Optional<TokenClaims> decode(String token) {
        try {
            JWSObject jws = JWSObject.parse(token);
            if (!JWSAlgorithm.HS256.equals(jws.getHeader().getAlgorithm()) || !jws.verify(verifier)) {
                return Optional.empty();
            }
            JsonNode payload = Json.MAPPER.readTree(jws.getPayload().toString());
            return Optional.of(new TokenClaims(
                    payload.get("user_id").asText(),
                    texts(payload.get("methods")),
                    Optional.ofNullable(payload.get("project_id")).map(JsonNode::asText),
                    Optional.ofNullable(payload.get("domain_id")).map(JsonNode::asText),
                    Instant.ofEpochSecond(payload.get("issued_at").asLong()),
                    Instant.ofEpochSecond(payload.get("expires_at").asLong()),
                    texts(payload.get("audit_ids"))));
        } catch (ParseException | JOSEException | RuntimeException | java.io.IOException e) {
            // A token is client input: whatever fails to parse or verify is simply not a valid token.
            return Optional.empty();
        }
    }

    private static List<String> texts(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(node -> values.add(node.asText()));
        return values;
    }
}
