package dev.portside.compute.keypair;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;

/**
 * OpenSSH public keys: reading one a user imports, making a new RSA pair (as Nova did before 2.92),
 * and Nova's fingerprint (MD5 of the key blob, colon-separated hex).
 */
public final class SshKeys {
    private static final Set<String> TYPES = Set.of("ssh-rsa", "ssh-ed25519", "ssh-dss", "ecdsa-sha2-nistp256",
            "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521", "sk-ssh-ed25519@openssh.com",
            "sk-ecdsa-sha2-nistp256@openssh.com");
    private static final int RSA_BITS = 2048;

    private SshKeys() {
    }

    /** A generated pair: the OpenSSH public key line and the PEM (PKCS#8) private key. */
    public record Generated(String publicKey, String privateKey) {
    }

    /** The fingerprint of an OpenSSH public key line, or empty when it is not one. */
    public static Optional<String> fingerprint(String publicKey) {
        String[] words = publicKey.trim().split("\\s+");
        if (words.length < 2 || !TYPES.contains(words[0])) {
            return Optional.empty();
        }
        byte[] blob;
        try {
            blob = Base64.getDecoder().decode(words[1]);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        // The blob starts with its own type name; a mismatch means a damaged or forged key.
        if (blob.length < 4) {
            return Optional.empty();
        }
        ByteBuffer buffer = ByteBuffer.wrap(blob);
        int length = buffer.getInt();
        if (length <= 0 || length > blob.length - 4) {
            return Optional.empty();
        }
        String type = new String(blob, 4, length, StandardCharsets.US_ASCII);
        if (!type.equals(words[0])) {
            return Optional.empty();
        }
        return Optional.of(md5(blob));
    }

    public static Generated generate(String comment) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(RSA_BITS);
            KeyPair pair = generator.generateKeyPair();
            RSAPublicKey rsa = (RSAPublicKey) pair.getPublic();
            ByteArrayOutputStream blob = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(blob);
            writeString(out, "ssh-rsa".getBytes(StandardCharsets.US_ASCII));
            writeString(out, mpint(rsa.getPublicExponent()));
            writeString(out, mpint(rsa.getModulus()));
            String publicKey = "ssh-rsa " + Base64.getEncoder().encodeToString(blob.toByteArray()) + " " + comment;
            String privateKey = "-----BEGIN PRIVATE KEY-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                    .encodeToString(pair.getPrivate().getEncoded())
                    + "\n-----END PRIVATE KEY-----\n";
            return new Generated(publicKey, privateKey);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK generates RSA keys", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] mpint(BigInteger value) {
        return value.toByteArray();
    }

    private static void writeString(DataOutputStream out, byte[] bytes) throws IOException {
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static String md5(byte[] blob) {
        try {
            String hex = HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(blob));
            StringBuilder colons = new StringBuilder();
            for (int i = 0; i < hex.length(); i += 2) {
                if (i > 0) {
                    colons.append(':');
                }
                colons.append(hex, i, i + 2);
            }
            return colons.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has MD5", e);
        }
    }
}
