package dev.portside.identity.token;

import org.jdbi.v3.core.Jdbi;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * The token signing key lives in the database, so every Portside process on one database accepts the
 * others' tokens; the first process to start creates it.
 */
public final class SigningKey {
    private SigningKey() {
    }

    public static byte[] loadOrCreate(Jdbi jdbi) {
        byte[] fresh = new byte[32];
        new SecureRandom().nextBytes(fresh);
        String encoded = jdbi.inTransaction(h -> {
            h.createUpdate("INSERT INTO identity_signing_key (id, secret) VALUES (1, :secret) ON CONFLICT DO NOTHING")
                    .bind("secret", Base64.getEncoder().encodeToString(fresh)).execute();
            return h.createQuery("SELECT secret FROM identity_signing_key WHERE id = 1").mapTo(String.class).one();
        });
        return Base64.getDecoder().decode(encoded);
    }
}
