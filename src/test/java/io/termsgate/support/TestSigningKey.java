package io.termsgate.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.util.Base64;

/**
 * An Ed25519 audit signing key (and a privacy master key) for tests that start the service under {@code prod}, which
 * refuses to start without them: the signing key generated once per test JVM into a temporary file.
 */
public final class TestSigningKey {

    private static Path file;

    private TestSigningKey() {}

    /** A privacy master key (32 random bytes, base64), as {@code termsgate.privacy.master-key} takes it. */
    public static String privacyMasterKey() {
        byte[] key = new byte[32];
        new java.security.SecureRandom().nextBytes(key);
        return Base64.getEncoder().encodeToString(key);
    }

    /** The key's file, as {@code termsgate.audit.signing-key} takes it. */
    public static synchronized String file() {
        if (file == null) {
            try {
                byte[] pkcs8 = KeyPairGenerator.getInstance("Ed25519")
                        .generateKeyPair()
                        .getPrivate()
                        .getEncoded();
                String pem = "-----BEGIN PRIVATE KEY-----\n"
                        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                                .encodeToString(pkcs8)
                        + "\n-----END PRIVATE KEY-----\n";
                file = Files.createTempFile("termsgate-test-signing-key", ".pem");
                file.toFile().deleteOnExit();
                Files.writeString(file, pem, StandardCharsets.US_ASCII);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return file.toString();
    }
}
