package io.termsgate.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPairGenerator;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.mock.env.MockEnvironment;

class CheckpointSigningKeyTest {

    @TempDir
    Path dir;

    private CheckpointProperties properties(String signingKey) {
        return new CheckpointProperties(
                signingKey,
                new CheckpointProperties.Checkpoints(
                        1000, Duration.ofMinutes(1), Duration.ofSeconds(1), dir.resolve("checkpoints"), null));
    }

    @Test
    void underProdTheServiceRefusesToStartWithoutAKey() {
        MockEnvironment prod = new MockEnvironment();
        prod.setActiveProfiles("prod");
        assertThatThrownBy(() -> new AuditSigningKey(properties(null), prod))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("TERMSGATE_AUDIT_SIGNING_KEY");
        assertThat(dir.resolve(AuditSigningKey.GENERATED_FILE)).doesNotExist();
    }

    @Test
    void theEmbeddedDefaultGeneratesAnOwnerOnlyKeyOnceAndKeepsIt() throws Exception {
        AuditSigningKey first = new AuditSigningKey(properties(null), new MockEnvironment());
        Path file = dir.resolve(AuditSigningKey.GENERATED_FILE);
        assertThat(file).exists();
        if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                    .isEqualTo("rw-------");
        }
        AuditSigningKey again = new AuditSigningKey(properties(null), new MockEnvironment());
        assertThat(again.keyId()).isEqualTo(first.keyId());
    }

    @Test
    void aConfiguredKeyAsPemTextOrAsAFileSignsWhatItsDerivedPublicKeyVerifies() throws Exception {
        var pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        String pem = AuditSigningKey.pem("PRIVATE KEY", pair.getPrivate().getEncoded());
        Path file = Files.writeString(dir.resolve("key.pem"), pem);
        MockEnvironment prod = new MockEnvironment();
        prod.setActiveProfiles("prod");
        for (String setting : new String[] {pem, file.toString()}) {
            AuditSigningKey key = new AuditSigningKey(properties(setting), prod);
            assertThat(key.publicKey().getEncoded()).isEqualTo(pair.getPublic().getEncoded());
            assertThat(VerifyLog.publicKey(key.publicKeyPem()).getEncoded())
                    .isEqualTo(pair.getPublic().getEncoded());
            String text = VerifyLog.Checkpoint.canonical(5, "a".repeat(64), "2026-12-01T00:00:00Z", "i", key.keyId());
            var checkpoint = new VerifyLog.Checkpoint(
                    5, "a".repeat(64), "2026-12-01T00:00:00Z", "i", key.keyId(), key.sign(text));
            assertThat(checkpoint.verifies(pair.getPublic())).isTrue();
            assertThat(VerifyLog.Checkpoint.parse(checkpoint.line())).isEqualTo(checkpoint);
        }
        assertThat(dir.resolve(AuditSigningKey.GENERATED_FILE)).doesNotExist();
    }
}
