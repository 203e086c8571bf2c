package io.termsgate.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.mock.env.MockEnvironment;

/** The master key that wraps customers' data keys: from the environment, never guessed, refused under prod unset. */
class PrivacyMasterKeyTest {

    @TempDir
    Path dir;

    static PrivacyProperties properties(String masterKey, Path generated) {
        return new PrivacyProperties(masterKey, generated, Duration.ofSeconds(10), 1000);
    }

    @Test
    void prodRefusesToStartWithoutOne() {
        MockEnvironment prod = new MockEnvironment();
        prod.setActiveProfiles("prod");
        assertThatThrownBy(() -> PersonalData.masterKey(properties(null, dir.resolve("k")), prod))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("TERMSGATE_PRIVACY_MASTER_KEY");
        assertThat(dir.resolve("k")).doesNotExist();
    }

    @Test
    void theEmbeddedDefaultGeneratesOneOwnerReadableAndKeepsIt() throws Exception {
        Path file = dir.resolve("data/privacy-master-key");
        byte[] first = PersonalData.masterKey(properties("", file), new MockEnvironment());
        byte[] again = PersonalData.masterKey(properties(null, file), new MockEnvironment());
        assertThat(first).hasSize(32).isEqualTo(again);
        assertThat(Files.getPosixFilePermissions(file)).hasSize(2); // rw- for the owner only
    }

    @Test
    void aConfiguredKeyIsBase64OfThirtyTwoBytesOrAFileHoldingIt() throws Exception {
        byte[] key = new byte[32];
        key[0] = 7;
        String base64 = Base64.getEncoder().encodeToString(key);
        assertThat(PersonalData.masterKey(properties(base64, dir.resolve("unused")), new MockEnvironment()))
                .isEqualTo(key);
        Path file = Files.writeString(dir.resolve("secret"), base64 + "\n");
        assertThat(PersonalData.masterKey(properties(file.toString(), dir.resolve("unused")), new MockEnvironment()))
                .isEqualTo(key);
        assertThatThrownBy(() -> PersonalData.masterKey(
                        properties(Base64.getEncoder().encodeToString(new byte[16]), dir), new MockEnvironment()))
                .hasMessageContaining("32 bytes");
        // a path whose file is missing is refused, never decoded: this one is 43 base64 characters, 32 bytes unpadded
        String missing = "/run/secrets/termsgate/privacy/masterkey4ab";
        assertThat(Base64.getDecoder().decode(missing)).hasSize(32);
        assertThatThrownBy(() -> PersonalData.masterKey(properties(missing, dir), new MockEnvironment()))
                .hasMessageContaining("neither a readable file")
                .hasMessageNotContaining(missing);
        assertThatThrownBy(() -> PersonalData.masterKey(properties("not base64!", dir), new MockEnvironment()))
                .hasMessageContaining("neither a readable file")
                .hasMessageNotContaining("not base64!");
    }
}
