package io.termsgate.audit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;
import org.springframework.stereotype.Component;

/**
 * The Ed25519 key that signs checkpoints. It never enters the database; its public half is published to auditors.
 * Under the {@code prod} profile the service refuses to start without a configured key.
 */
@Component
class AuditSigningKey {

    private static final Logger log = LoggerFactory.getLogger(AuditSigningKey.class);
    static final String GENERATED_FILE = "audit-signing-key.pem";

    private final PrivateKey privateKey;
    private final PublicKey publicKey;
    private final String keyId;

    @Autowired
    AuditSigningKey(CheckpointProperties properties, Environment environment) {
        this(load(properties, environment));
    }

    AuditSigningKey(PrivateKey privateKey) {
        this.privateKey = privateKey;
        this.publicKey = publicKeyOf(privateKey);
        this.keyId = VerifyLog.keyId(publicKey);
    }

    String keyId() {
        return keyId;
    }

    PublicKey publicKey() {
        return publicKey;
    }

    /** SubjectPublicKeyInfo as PEM. */
    String publicKeyPem() {
        return pem("PUBLIC KEY", publicKey.getEncoded());
    }

    String sign(String text) {
        try {
            Signature ed25519 = Signature.getInstance("Ed25519");
            ed25519.initSign(privateKey);
            ed25519.update(text.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(ed25519.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static PrivateKey load(CheckpointProperties properties, Environment environment) {
        String configured = properties.signingKey();
        if (configured != null && !configured.isBlank()) {
            String pem = configured.contains("-----BEGIN") ? configured : read(Path.of(configured.strip()));
            return privateKey(pem);
        }
        if (environment.acceptsProfiles(Profiles.of("prod"))) {
            throw new IllegalStateException("Refusing to start under the prod profile without an audit signing key: "
                    + "set TERMSGATE_AUDIT_SIGNING_KEY to an Ed25519 private key (PEM, PKCS#8) or its file path");
        }
        Path file = properties.checkpoints().dir().toAbsolutePath().normalize().resolveSibling(GENERATED_FILE);
        if (!Files.exists(file)) {
            generate(file);
        }
        log.warn(
                "AUDIT SIGNING KEY GENERATED for the embedded default at {}: checkpoints signed with a key kept beside "
                        + "the data prove nothing to an auditor. Configure termsgate.audit.signing-key "
                        + "(TERMSGATE_AUDIT_SIGNING_KEY) from a secret store; the prod profile refuses to start without.",
                file);
        return privateKey(read(file));
    }

    private static void generate(Path file) {
        try {
            KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
            Files.createDirectories(file.getParent());
            Path partial = file.resolveSibling(GENERATED_FILE + ".new");
            Files.writeString(partial, pem("PRIVATE KEY", pair.getPrivate().getEncoded()), StandardCharsets.US_ASCII);
            try {
                Files.setPosixFilePermissions(partial, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException e) {
                log.warn("cannot restrict {} to its owner on this file system", partial);
            }
            Files.move(partial, file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the audit signing key " + file, e);
        }
    }

    static PrivateKey privateKey(String pem) {
        try {
            return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(VerifyLog.pemBytes(pem)));
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("the audit signing key is not an Ed25519 private key (PEM, PKCS#8)", e);
        }
    }

    /**
     * The public half, derived: the JDK computes an Ed25519 public key only when generating a pair, so the pair is
     * generated again from the private key's seed.
     */
    private static PublicKey publicKeyOf(PrivateKey key) {
        try {
            byte[] seed = ((EdECPrivateKey) key).getBytes().orElseThrow();
            KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
            generator.initialize(NamedParameterSpec.ED25519, new FixedSeed(seed));
            return generator.generateKeyPair().getPublic();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    /** A random source that yields the private key's seed: the JDK's generator then derives its public key. */
    private static final class FixedSeed extends java.security.SecureRandom {
        private final byte[] seed;

        FixedSeed(byte[] seed) {
            this.seed = seed.clone();
        }

        @Override
        public void nextBytes(byte[] bytes) {
            System.arraycopy(seed, 0, bytes, 0, Math.min(seed.length, bytes.length));
        }
    }
}
