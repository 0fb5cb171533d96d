package dev.portside.compute.keypair;

import java.time.Instant;

/** A user's key pair: the public half only; a generated private key is shown once, at creation. */
public record Keypair(long id, String userId, String name, String type, String publicKey, String fingerprint,
                      Instant createdAt) {
}
