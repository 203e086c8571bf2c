package io.termsgate.audit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Personal data in the decision log, kept so that it can be destroyed without touching the hash chain
 * (crypto-shredding, docs/security.md):
 *
 * <ul>
 *   <li>a customer is known to the log by a random <em>subject reference</em> ({@code ~} and 32 hex digits, never a
 *       valid customer id), found from the customer id by a keyed pseudonym (HMAC-SHA256) and never the other way;
 *   <li>each decision's request (with the customer id) is sealed with the customer's own data key (AES-256-GCM, the
 *       reference as associated data), and the chain hashes the sealed text;
 *   <li>the data key is stored wrapped by a key derived from the master key, which never enters the database.
 * </ul>
 *
 * <p>Erasing a customer deletes their key row: their records stay, counted and verifiable, but cannot be read, and no
 * search by the customer id finds them. Records logged before this existed hold the customer in clear and cannot be
 * erased without breaking the chain (an erasure reports how many).
 */
@Component
public class PersonalData {

    /**
     * Sealed personal data that does not open under the keys this service holds: altered, or sealed under another
     * master key. Its message names the customer's lookup, so it is for the log, not for an answer.
     */
    public static final class DoesNotOpen extends IllegalStateException {
        public DoesNotOpen(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private static final Logger log = LoggerFactory.getLogger(PersonalData.class);

    /** How a sealed request starts in {@code decision_log.request_json}; a clear (older) one starts with '{'. */
    public static final String SEALED_PREFIX = "sealed:v1:";

    private static final String SUBJECT_PREFIX = "~";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    /** A customer's subject reference and data key. */
    private record SubjectKey(String ref, SecretKey dataKey, long expiresAtNanos) {}

    /**
     * What the log stores in place of the personal data of one decision: the subject reference, the sealed request
     * (with the customer id), and the sealed credit-line snapshot (balances, receivables), null when there is none.
     */
    public record Sealed(String subjectRef, String request, String creditLine) {}

    /** A sealed record opened: its customer id, request and credit-line snapshot (or null) in clear. */
    public record Opened(String customerId, String requestJson, String creditLineJson) {}

    private final JdbcClient jdbc;
    private final TransactionTemplate ownTransaction;
    private final Clock clock;
    private final PrivacyProperties properties;
    private final SecretKey lookupKey;
    private final SecretKey wrappingKey;
    private final SecureRandom random = new SecureRandom();
    private final ConcurrentHashMap<String, SubjectKey> byCustomer = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, SubjectKey> byRef = new ConcurrentHashMap<>();
    /** References this instance destroyed: never cached again, whatever a read racing the erasure's commit saw. */
    private final java.util.Set<String> destroyed = ConcurrentHashMap.newKeySet();

    PersonalData(
            JdbcClient jdbc,
            PlatformTransactionManager transactions,
            Clock clock,
            PrivacyProperties properties,
            Environment environment) {
        this.jdbc = jdbc;
        this.ownTransaction = new TransactionTemplate(transactions);
        // a new key row commits on its own, before any record sealed under it: a caller's rollback cannot orphan them
        this.ownTransaction.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
        this.clock = clock;
        this.properties = properties;
        byte[] master = masterKey(properties, environment);
        this.lookupKey = new SecretKeySpec(derive(master, "termsgate customer lookup v1"), "HmacSHA256");
        this.wrappingKey = new SecretKeySpec(derive(master, "termsgate data key wrapping v1"), "AES");
    }

    /** Whether a stored customer id is a subject reference (a record whose personal data is sealed). */
    public static boolean isSubjectRef(String storedCustomerId) {
        return storedCustomerId != null && storedCustomerId.startsWith(SUBJECT_PREFIX);
    }

    /**
     * Seals a decision's personal data under the customer's data key, creating the key on the customer's first.
     *
     * @param creditLineJson what the decision saw of the buyer's credit line, or null
     */
    public Sealed seal(String customerId, String requestJson, String creditLineJson) {
        SubjectKey key = keyForWriting(customerId);
        return new Sealed(
                key.ref(),
                sealText(key, REQUEST, customerId + '\n' + requestJson),
                creditLineJson == null ? null : sealText(key, CREDIT_LINE, creditLineJson));
    }

    /** Makes sure the customer has a data key, before a caller takes locks under which creating one must not wait. */
    public void prepare(String customerId) {
        keyForWriting(customerId);
    }

    /** Opens a sealed record; empty when the customer's key has been destroyed (erased). */
    public Optional<Opened> open(String subjectRef, String sealedRequest, String sealedCreditLine) {
        Optional<SubjectKey> key = keyByRef(subjectRef);
        if (key.isEmpty()) {
            return Optional.empty();
        }
        String plain = openText(key.get(), REQUEST, sealedRequest);
        int newline = plain.indexOf('\n');
        return Optional.of(new Opened(
                plain.substring(0, newline),
                plain.substring(newline + 1),
                sealedCreditLine == null ? null : openText(key.get(), CREDIT_LINE, sealedCreditLine)));
    }

    /** What a sealed text is, bound into it as associated data so one cannot be passed off as the other. */
    private static final String REQUEST = "request";

    private static final String CREDIT_LINE = "credit-line";

    private String sealText(SubjectKey key, String what, String text) {
        byte[] nonce = randomBytes(NONCE_BYTES);
        byte[] sealed = crypt(
                Cipher.ENCRYPT_MODE,
                key.dataKey(),
                nonce,
                key.ref() + "|" + what,
                text.getBytes(StandardCharsets.UTF_8));
        return SEALED_PREFIX
                + Base64.getEncoder()
                        .encodeToString(ByteBuffer.allocate(nonce.length + sealed.length)
                                .put(nonce)
                                .put(sealed)
                                .array());
    }

    private String openText(SubjectKey key, String what, String sealedText) {
        if (!sealedText.startsWith(SEALED_PREFIX)) {
            throw new IllegalStateException("a record of " + key.ref() + " is not sealed");
        }
        byte[] bytes = Base64.getDecoder().decode(sealedText.substring(SEALED_PREFIX.length()));
        byte[] nonce = java.util.Arrays.copyOfRange(bytes, 0, NONCE_BYTES);
        byte[] sealed = java.util.Arrays.copyOfRange(bytes, NONCE_BYTES, bytes.length);
        return new String(
                crypt(Cipher.DECRYPT_MODE, key.dataKey(), nonce, key.ref() + "|" + what, sealed),
                StandardCharsets.UTF_8);
    }

    /** The customer's subject reference, or empty when the log holds no readable data of them (none, or erased). */
    public Optional<String> subjectOf(String customerId) {
        return keyByCustomer(customerId).map(SubjectKey::ref);
    }

    /**
     * Destroys the customer's data key and the link from their id to their reference, in the caller's transaction.
     *
     * @return the reference the customer's records keep, or empty when there was no key (never logged, or erased)
     */
    public Optional<String> destroyKey(String customerId) {
        String lookup = lookup(customerId);
        // no FOR UPDATE (the runtime role may not update key rows): the delete's own row lock decides a race
        Optional<String> ref = jdbc.sql("SELECT subject_ref FROM personal_data_key WHERE lookup = ?")
                .param(lookup)
                .query(String.class)
                .optional();
        byCustomer.remove(customerId);
        ref.ifPresent(r -> {
            destroyed.add(r);
            byRef.remove(r);
        });
        if (ref.isEmpty()
                || jdbc.sql("DELETE FROM personal_data_key WHERE lookup = ?")
                                .param(lookup)
                                .update()
                        == 0) {
            return Optional.empty();
        }
        return ref;
    }

    /** How many decisions the log keeps under a subject reference (sealed under the customer's key). */
    public long sealedDecisionsOf(String subjectRef) {
        return jdbc.sql("SELECT COUNT(*) FROM decision_log WHERE customer_id = ?")
                .param(subjectRef)
                .query(Long.class)
                .single();
    }

    /** How many decisions, logged before personal data was sealed, hold the customer id in clear. */
    public long clearDecisionsOf(String customerId) {
        return jdbc.sql("SELECT COUNT(*) FROM decision_log WHERE customer_id = ?")
                .param(customerId)
                .query(Long.class)
                .single();
    }

    /**
     * Subject references in the log whose key is gone (at most {@code limit}): each must have been erased; one that
     * was not means a key row was deleted behind the service's back.
     */
    public List<String> referencesWithoutKey(int limit) {
        return jdbc.sql("SELECT DISTINCT d.customer_id FROM decision_log d WHERE d.customer_id LIKE '~%' "
                        + "AND NOT EXISTS (SELECT 1 FROM personal_data_key k WHERE k.subject_ref = d.customer_id) "
                        + "ORDER BY d.customer_id LIMIT ?")
                .param(limit)
                .query(String.class)
                .list();
    }

    private SubjectKey keyForWriting(String customerId) {
        Optional<SubjectKey> known = keyByCustomer(customerId);
        if (known.isPresent()) {
            return known.get();
        }
        String lookup = lookup(customerId);
        String ref = SUBJECT_PREFIX + HexFormat.of().formatHex(randomBytes(16));
        byte[] dataKey = randomBytes(32);
        byte[] nonce = randomBytes(NONCE_BYTES);
        // the lookup and the reference as associated data: a wrapped key moved to another customer's row does not open
        byte[] wrapped = crypt(Cipher.ENCRYPT_MODE, wrappingKey, nonce, lookup + "|" + ref, dataKey);
        String stored = Base64.getEncoder()
                .encodeToString(ByteBuffer.allocate(nonce.length + wrapped.length)
                        .put(nonce)
                        .put(wrapped)
                        .array());
        try {
            ownTransaction.executeWithoutResult(
                    status -> jdbc.sql("INSERT INTO personal_data_key (lookup, subject_ref, wrapped_key, created_at) "
                                    + "VALUES (?, ?, ?, ?)")
                            .params(lookup, ref, stored, Instant.now(clock).atOffset(ZoneOffset.UTC))
                            .update());
        } catch (DuplicateKeyException raced) {
            // another request (or instance) created this customer's key first: use theirs
        }
        return keyByCustomer(customerId)
                .orElseThrow(() -> new IllegalStateException("a data key was created but cannot be read back"));
    }

    private Optional<SubjectKey> keyByCustomer(String customerId) {
        SubjectKey cached = fresh(byCustomer.get(customerId));
        if (cached != null) {
            return Optional.of(cached);
        }
        Optional<SubjectKey> loaded = jdbc.sql(
                        "SELECT lookup, subject_ref, wrapped_key FROM personal_data_key WHERE lookup = ?")
                .param(lookup(customerId))
                .query((rs, n) -> unwrap(rs.getString(1), rs.getString(2), rs.getString(3)))
                .optional();
        loaded.ifPresent(k -> remember(customerId, k));
        return loaded;
    }

    private Optional<SubjectKey> keyByRef(String ref) {
        SubjectKey cached = fresh(byRef.get(ref));
        if (cached != null) {
            return Optional.of(cached);
        }
        Optional<SubjectKey> loaded = jdbc.sql(
                        "SELECT lookup, subject_ref, wrapped_key FROM personal_data_key WHERE subject_ref = ?")
                .param(ref)
                .query((rs, n) -> unwrap(rs.getString(1), rs.getString(2), rs.getString(3)))
                .optional();
        loaded.ifPresent(k -> remember(null, k));
        return loaded;
    }

    private SubjectKey fresh(SubjectKey key) {
        return key != null && key.expiresAtNanos() - System.nanoTime() > 0 && !destroyed.contains(key.ref())
                ? key
                : null;
    }

    /**
     * Forgets what this instance keeps of a customer's key once their erasure has committed (a read racing the
     * commit may have cached it again); and if the erasure rolled back, the key is simply read again.
     */
    public void forget(String customerId, String subjectRef) {
        byCustomer.remove(customerId);
        byRef.remove(subjectRef);
    }

    private void remember(String customerId, SubjectKey key) {
        if (destroyed.contains(key.ref())) {
            return;
        }
        if (byRef.size() >= properties.keyCacheSize() || byCustomer.size() >= properties.keyCacheSize()) {
            byRef.clear();
            byCustomer.clear();
        }
        byRef.put(key.ref(), key);
        if (customerId != null) {
            byCustomer.put(customerId, key);
        }
    }

    private SubjectKey unwrap(String lookup, String ref, String stored) {
        byte[] bytes = Base64.getDecoder().decode(stored);
        byte[] nonce = java.util.Arrays.copyOfRange(bytes, 0, NONCE_BYTES);
        byte[] wrapped = java.util.Arrays.copyOfRange(bytes, NONCE_BYTES, bytes.length);
        byte[] dataKey = crypt(Cipher.DECRYPT_MODE, wrappingKey, nonce, lookup + "|" + ref, wrapped);
        return new SubjectKey(
                ref,
                new SecretKeySpec(dataKey, "AES"),
                System.nanoTime() + properties.keyCacheTtl().toNanos());
    }

    private String lookup(String customerId) {
        try {
            Mac hmac = Mac.getInstance("HmacSHA256");
            hmac.init(lookupKey);
            return HexFormat.of().formatHex(hmac.doFinal(customerId.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] crypt(int mode, SecretKey key, byte[] nonce, String associated, byte[] input) {
        try {
            // a new cipher each time: a kept one would hold the last customer's raw key after their erasure
            Cipher aes = Cipher.getInstance("AES/GCM/NoPadding");
            aes.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
            aes.updateAAD(associated.getBytes(StandardCharsets.US_ASCII));
            return aes.doFinal(input);
        } catch (AEADBadTagException e) {
            throw new DoesNotOpen(
                    "personal data of " + associated + " does not open: a different master key, or altered", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        random.nextBytes(bytes);
        return bytes;
    }

    private static byte[] derive(byte[] master, String purpose) {
        try {
            Mac hmac = Mac.getInstance("HmacSHA256");
            hmac.init(new SecretKeySpec(master, "HmacSHA256"));
            return hmac.doFinal(purpose.getBytes(StandardCharsets.US_ASCII));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] masterKey(PrivacyProperties properties, Environment environment) {
        String configured = properties.masterKey();
        if (configured != null && !configured.isBlank()) {
            String value = configured.strip();
            Path file = Path.of(value);
            if (Files.isRegularFile(file)) {
                return decodeMasterKey(read(file));
            }
            // not a file: then the key itself, as openssl rand -base64 32 writes it (44 characters ending in =), so a
            // mistyped or unmounted file path is never taken for a key (an unpadded path can decode to 32 bytes)
            if (value.length() != 44 || !value.endsWith("=")) {
                throw new IllegalStateException("the privacy master key is neither a readable file nor 32 bytes in "
                        + "base64 (44 characters ending in =); a file path must name an existing file");
            }
            return decodeMasterKey(value);
        }
        if (environment.acceptsProfiles(Profiles.of("prod"))) {
            throw new IllegalStateException(
                    "Refusing to start under the prod profile without a privacy master key: set "
                            + "TERMSGATE_PRIVACY_MASTER_KEY to 32 random bytes in base64 (openssl rand -base64 32) or its file "
                            + "path, from a secret store");
        }
        Path file = properties.generatedKeyFile().toAbsolutePath().normalize();
        if (!Files.exists(file)) {
            generate(file);
        }
        log.warn(
                "PRIVACY MASTER KEY GENERATED for the embedded default at {}: whoever holds the database and this file "
                        + "can read every customer's personal data. Configure termsgate.privacy.master-key "
                        + "(TERMSGATE_PRIVACY_MASTER_KEY) from a secret store; the prod profile refuses to start without.",
                file);
        return decodeMasterKey(read(file));
    }

    private static byte[] decodeMasterKey(String base64) {
        byte[] key;
        try {
            key = Base64.getDecoder().decode(base64.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("the privacy master key is not base64 (32 random bytes)");
        }
        if (key.length != 32) {
            throw new IllegalStateException("the privacy master key must be 32 bytes (base64), not " + key.length);
        }
        return key;
    }

    private static void generate(Path file) {
        try {
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            Files.createDirectories(file.getParent());
            Path partial = file.resolveSibling(file.getFileName() + ".new");
            Files.deleteIfExists(partial);
            try { // owner-only from its creation, never readable by others even for a moment
                Files.createFile(
                        partial, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } catch (UnsupportedOperationException e) {
                Files.createFile(partial);
                log.warn("cannot restrict {} to its owner on this file system", partial);
            }
            Files.writeString(partial, Base64.getEncoder().encodeToString(key) + "\n", StandardCharsets.US_ASCII);
            Files.move(partial, file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the privacy master key " + file, e);
        }
    }
}
