package dev.portside.identity.user;

import dev.portside.common.testing.TestClock;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PasswordHasherTest {
    PasswordHasher hasher = new PasswordHasher(4, new TestClock());

    @Test
    void aHashIsBcryptAndVerifiesOnlyItsOwnPassword() {
        String hash = hasher.hash("s3cret");

        assertThat(hash).startsWith("$2b$04$").doesNotContain("s3cret");
        assertThat(hasher.verify("s3cret", hash)).isTrue();
        assertThat(hasher.verify("s3cret!", hash)).isFalse();
        assertThat(hasher.verify("", hash)).isFalse();
    }

    @Test
    void theSamePasswordHashesDifferentlyEachTime() {
        assertThat(hasher.hash("s3cret")).isNotEqualTo(hasher.hash("s3cret"));
    }

    @Test
    void aRememberedSuccessDoesNotCarryOverToANewHash() {
        String old = hasher.hash("s3cret");
        assertThat(hasher.verify("s3cret", old)).isTrue();

        String changed = hasher.hash("other");

        assertThat(hasher.verify("s3cret", changed)).isFalse();
        assertThat(hasher.verify("other", changed)).isTrue();
    }

    @Test
    void everyByteOfAPasswordLongerThanBcryptsSeventyTwoCounts() {
        String first72 = "p".repeat(72);
        String hash = hasher.hash(first72 + "-the-rest");

        assertThat(hasher.verify(first72 + "-the-rest", hash)).isTrue();
        assertThat(hasher.verify(first72, hash)).isFalse();
        assertThat(hasher.verify(first72 + "-another-ending", hash)).isFalse();
        assertThat(hasher.verify(first72 + "-the-res", hash)).isFalse();
    }

    @Test
    void multiByteCharactersCountInBytesNotCharacters() {
        // 36 two-byte characters are bcrypt's 72 bytes; what follows must still count.
        String prefix = "é".repeat(36);
        String hash = hasher.hash(prefix + "x");

        assertThat(hasher.verify(prefix + "x", hash)).isTrue();
        assertThat(hasher.verify(prefix + "y", hash)).isFalse();
    }

    @Test
    void aCostOutsideBcryptsRangeIsRefused() {
        assertThatThrownBy(() -> new PasswordHasher(3, new TestClock())).isInstanceOf(IllegalArgumentException.class);
    }
}
