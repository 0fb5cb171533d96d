package dev.portside.identity.token;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class TokenCodecTest {
    static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);
    static final TokenClaims CLAIMS = new TokenClaims("user", List.of("password"), Optional.of("project"), Optional.empty(),
            Instant.ofEpochSecond(1_800_000_000L), Instant.ofEpochSecond(1_800_003_600L), List.of("audit", "chain"));

    TokenCodec codec = new TokenCodec(KEY);

    @Test
    void aTokenDecodesToTheClaimsItWasMadeFrom() {
        assertThat(codec.decode(codec.encode(CLAIMS))).hasValue(CLAIMS);
    }

    @Test
    void aTokenSignedWithAnotherKeyIsNotValid() {
        TokenCodec other = new TokenCodec("fedcba9876543210fedcba9876543210".getBytes(StandardCharsets.UTF_8));

        assertThat(codec.decode(other.encode(CLAIMS))).isEmpty();
    }

    @Test
    void aTokenWithAnEditedPayloadIsNotValid() {
        String[] parts = codec.encode(CLAIMS).split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("\"user\"", "\"admin\"");
        String forged = parts[0] + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];

        assertThat(codec.decode(forged)).isEmpty();
    }

    @Test
    void anUnsignedTokenIsNotValid() {
        String[] parts = codec.encode(CLAIMS).split("\\.");
        String none = Base64.getUrlEncoder().withoutPadding().encodeToString("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8));

        assertThat(codec.decode(none + "." + parts[1] + ".")).isEmpty();
        assertThat(codec.decode("garbage")).isEmpty();
        assertThat(codec.decode("")).isEmpty();
    }
}
