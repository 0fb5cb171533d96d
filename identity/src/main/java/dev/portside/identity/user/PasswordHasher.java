package dev.portside.identity.user;

import at.favre.lib.crypto.bcrypt.BCrypt;
import at.favre.lib.crypto.bcrypt.LongPasswordStrategies;
import at.favre.lib.crypto.bcrypt.LongPasswordStrategy;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.concurrent.ConcurrentHashMap;

/**
 * bcrypt password hashes, Keystone's default (cost 12 unless configured).
 *
 * <p>A deliberately slow hash would cap password logins at a few per second per core, so a
 * successful check is remembered for a short while, keyed by an HMAC (with a key that lives only in
 * this process) of the stored hash and the password - the technique of Apache's mod_authn_socache.
 * A changed password changes the stored hash and so misses the cache; nothing reversible is kept.
 */
public final class PasswordHasher {
    private static final int MAX_REMEMBERED = 10_000;
    private static final Duration REMEMBER_FOR = Duration.ofMinutes(5);
    private static final BCrypt.Version VERSION = BCrypt.Version.VERSION_2B;
    // bcrypt reads only the first 72 bytes, so a longer password would match any password sharing its
    // first 72 bytes. Keystone's answer (its bcrypt_sha256 hasher) is to pre-hash; here a password over
    // 72 bytes is replaced by its SHA-512 before bcrypt, so every byte counts and passwords up to 72
    // bytes keep plain bcrypt hashes. Refusing long passwords instead would break pass phrases and
    // generated secrets that Keystone accepts (up to its max_password_length, UserApi.MAX_PASSWORD).
    private static final LongPasswordStrategy LONG_PASSWORDS = LongPasswordStrategies.hashSha512(VERSION);

    private final int cost;
    private final Clock clock;
    private final SecretKeySpec cacheKey;
    private final ConcurrentHashMap<String, Instant> verified = new ConcurrentHashMap<>();
    // Made on first need rather than at start, where a bcrypt at full cost would delay the first answer.
    private volatile String decoy;

    public PasswordHasher(int cost, Clock clock) {
        if (cost < 4 || cost > 31) {
            throw new IllegalArgumentException("bcrypt cost must be between 4 and 31, not " + cost);
        }
        this.cost = cost;
        this.clock = clock;
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        this.cacheKey = new SecretKeySpec(key, "HmacSHA256");
    }

    /**
     * Spends the time of a real check when there is no user to check against, so that a 401 for an
     * unknown user name takes as long as one for a wrong password and does not reveal which names exist.
     */
    public void verifyNothing(String password) {
        String hash = decoy;
        if (hash == null) {
            hash = hash(java.util.UUID.randomUUID().toString());
            decoy = hash;
        }
        BCrypt.verifyer(VERSION, LONG_PASSWORDS).verify(password.toCharArray(), hash.toCharArray());
    }

    public String hash(String password) {
        return BCrypt.with(VERSION, new SecureRandom(), LONG_PASSWORDS).hashToString(cost, password.toCharArray());
    }

    public boolean verify(String password, String storedHash) {
        String remembered = fingerprint(storedHash, password);
        Instant until = verified.get(remembered);
        Instant now = clock.instant();
        if (until != null && until.isAfter(now)) {
            return true;
        }
        boolean ok = BCrypt.verifyer(VERSION, LONG_PASSWORDS).verify(password.toCharArray(), storedHash.toCharArray()).verified;
        if (ok) {
            if (verified.size() >= MAX_REMEMBERED) {
                verified.clear();
            }
            verified.put(remembered, now.plus(REMEMBER_FOR));
        }
        return ok;
    }

    private String fingerprint(String storedHash, String password) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(cacheKey);
            mac.update(storedHash.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            return Base64.getEncoder().encodeToString(mac.doFinal(password.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
