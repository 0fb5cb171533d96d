package dev.portside.compute.keypair;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class SshKeysTest {
    // An ed25519 public key made by ssh-keygen.
    private static final String ED25519 = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEFa04kmfNUvBfBlfjlq2Yb7dVs+ih3y0pZw3QE+dSYZ test";

    @Test
    void aGeneratedKeyIsAnRsaPairOpensshReadsAndFingerprintsLikeSshKeygen() throws Exception {
        SshKeys.Generated pair = SshKeys.generate("portside-test");
        Path key = Files.createTempFile("portside-key", ".pem");
        try {
            Files.writeString(key, pair.privateKey());
            Process derive = new ProcessBuilder("ssh-keygen", "-y", "-f", key.toString()).start();
            String derived = new String(derive.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            assertThat(derive.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(derived).isEqualTo(pair.publicKey().substring(0, pair.publicKey().lastIndexOf(' ')));

            Files.writeString(key, pair.publicKey());
            Process fingerprint = new ProcessBuilder("ssh-keygen", "-l", "-E", "md5", "-f", key.toString()).start();
            String printed = new String(fingerprint.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(printed).contains("MD5:" + SshKeys.fingerprint(pair.publicKey()).orElseThrow());
        } finally {
            Files.deleteIfExists(key);
        }
    }

    @Test
    void importedKeysAreCheckedAgainstTheirOwnTypeName() {
        assertThat(SshKeys.fingerprint(ED25519)).isPresent();
        assertThat(SshKeys.fingerprint(ED25519.replace("ssh-ed25519", "ssh-rsa"))).isEmpty();
        assertThat(SshKeys.fingerprint("ssh-rsa not-base64!")).isEmpty();
        assertThat(SshKeys.fingerprint("just words")).isEmpty();
        assertThat(SshKeys.fingerprint("")).isEmpty();
    }
}
