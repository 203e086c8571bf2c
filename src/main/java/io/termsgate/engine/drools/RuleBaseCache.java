package io.termsgate.engine.drools;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Metrics;
import io.termsgate.engine.RulesetProblem;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compiled rule bases on disk, one per set of rule sources, so that a restart (or re-activating a version compiled
 * before) loads the executable model's classes instead of generating and compiling Java again.
 *
 * <p>An entry is bytecode that the service will run, so it is trusted only as far as it is proven ours: it is found
 * by the SHA-256 of exactly the rule sources it was compiled from (each DRL file and each spreadsheet's generated
 * DRL, with its path), the service's build and code that the rules see, and the engine's version, so that a changed
 * source or an upgraded engine never finds a stale entry; and it carries an HMAC-SHA256 under a secret key over all
 * of it, that identity included. An entry that fails its HMAC, is cut short or cannot be read is ignored (logged and
 * counted), compiled again and written again. Everything that checks a ruleset still runs on every load; only the
 * compile is skipped.
 *
 * <p>Beside the rule bases it keeps the findings of KIE's DMN validator (schema, model and decision table analysis)
 * per set of DMN files, the other half of a compile's time at a restart: found by the SHA-256 of every DMN file with
 * its path, the build and the validator's version, and authenticated the same way. A finding entry only ever replaces
 * a validator run; the DMN models are compiled, checked against the policy language and their contract on every load.
 */
final class RuleBaseCache {

    private static final Logger log = LoggerFactory.getLogger(RuleBaseCache.class);
    static final String GENERATED_KEY_FILE = "ruleset-cache-key";
    private static final byte[] MAGIC = "TGRBC01\n".getBytes(StandardCharsets.US_ASCII);
    private static final int TAG = 32;
    /**
     * Far above any ruleset's compiled size (about 200 KB for the default ruleset): a larger file is refused without
     * being read, and no more than one byte past this is ever read.
     */
    static final int MAX_ENTRY_BYTES = 32 * 1024 * 1024;

    /** The prefix that names a file holding the key, in {@code termsgate.engine.cache-key}. */
    static final String KEY_FILE_PREFIX = "file:";

    private static final Set<PosixFilePermission> GROUP_OR_OTHERS_WRITE =
            Set.of(PosixFilePermission.GROUP_WRITE, PosixFilePermission.OTHERS_WRITE);
    private static final Set<PosixFilePermission> GROUP_OR_OTHERS_READ_OR_WRITE = Set.of(
            PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE);

    static final int MAX_ENTRIES = 100;

    private static final Map<Path, byte[]> GENERATED_KEYS = new ConcurrentHashMap<>();

    /** A cache entry's contents: the builder's warnings (reported again on every load) and the compiled kjar. */
    record Entry(List<RulesetProblem> warnings, byte[] kjar) {}

    /** The two kinds of entry: a file name's ending and the meter that counts them. */
    enum Kind {
        RULE_BASE(".kjar", "termsgate.engine.cache", "compiling again"),
        DMN_FINDINGS(".dmnv", "termsgate.engine.dmn-findings-cache", "validating again");

        final String suffix;
        final String meter;
        final String instead;

        Kind(String suffix, String meter, String instead) {
            this.suffix = suffix;
            this.meter = meter;
            this.instead = instead;
        }
    }

    enum Result {
        HIT,
        MISS,
        REJECTED
    }

    private final Path dir;
    private final SecretKeySpec key;
    private final String environment;

    RuleBaseCache(Path dir, byte[] key, String environment) {
        this.dir = dir.toAbsolutePath().normalize();
        this.key = new SecretKeySpec(key.clone(), "HmacSHA256");
        this.environment = environment;
    }

    /**
     * The cache the settings ask for, or empty: off when disabled, and under the prod profile without a configured
     * key (never a reason to refuse to start: the service compiles as it did without the cache).
     */
    static Optional<RuleBaseCache> open(EngineProperties properties, boolean prodProfile) {
        if (!properties.cacheEnabled()) {
            return Optional.empty();
        }
        Path dir = properties.cacheDir().toAbsolutePath().normalize();
        try {
            byte[] key = key(properties, dir, prodProfile);
            if (key == null) {
                return Optional.empty();
            }
            createDirectory(dir);
            requireOwnFile(dir, true, GROUP_OR_OTHERS_WRITE);
            return Optional.of(new RuleBaseCache(dir, key, Fingerprint.environment()));
        } catch (UntrustedFile e) {
            log.warn("The compiled ruleset cache is off: {}", e.getMessage());
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            if (properties.cacheKey() != null && !properties.cacheKey().isBlank()) {
                // a key was configured and cannot be used: a mistake to fix, not a choice
                log.error("The compiled ruleset cache is off: {}", e.getMessage());
            } else {
                log.warn("The compiled ruleset cache is off: {}", e.getMessage());
            }
            return Optional.empty();
        }
    }

    /**
     * The configured key: {@code file:} and a path names a file holding it; anything else is the key itself, base64
     * (or base64url) of 32 or more bytes. A value with a '/' that is not {@code file:} is refused, so that a path
     * whose file is missing is never taken for a key.
     */
    private static byte[] key(EngineProperties properties, Path dir, boolean prodProfile) {
        String configured = properties.cacheKey();
        if (configured != null && !configured.isBlank()) {
            String value = configured.strip();
            if (value.startsWith(KEY_FILE_PREFIX)) {
                Path file = Path.of(value.substring(KEY_FILE_PREFIX.length()));
                // a file from a secret store: links followed (Kubernetes mounts secrets as links), but a regular file
                // that only its owner can change
                requireNotWritableByOthers(file);
                return decodeKey(read(file, false));
            }
            if (value.contains("/")) {
                throw new IllegalStateException(
                        "termsgate.engine.cache-key contains '/': name a file holding the key"
                                + " as file:<path>, or give the key itself in base64url (openssl rand -base64 32 | tr '+/' '-_')");
            }
            return decodeKey(value);
        }
        if (prodProfile) {
            log.info(
                    "The compiled ruleset cache is off under the prod profile without a key: set "
                            + "TERMSGATE_ENGINE_CACHE_KEY (32 random bytes, base64) to keep compiled rule bases across restarts");
            return null;
        }
        Path file = dir.resolveSibling(GENERATED_KEY_FILE);
        return GENERATED_KEYS.computeIfAbsent(file, f -> {
            if (!Files.exists(f, LinkOption.NOFOLLOW_LINKS)) {
                generate(f);
            }
            requireOwnFile(f, false, GROUP_OR_OTHERS_READ_OR_WRITE);
            log.warn(
                    "RULESET CACHE KEY GENERATED for the embedded default at {}: whoever can write this file and {} "
                            + "can make the service run code of their choosing. Configure termsgate.engine.cache-key "
                            + "(TERMSGATE_ENGINE_CACHE_KEY) from a secret store; the prod profile keeps the cache off "
                            + "without one.",
                    f,
                    dir);
            return decodeKey(read(f, true));
        });
    }

    private static byte[] decodeKey(String base64) {
        byte[] key;
        try {
            // base64 or base64url: the same bytes
            key = Base64.getDecoder().decode(base64.strip().replace('-', '+').replace('_', '/'));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("the cache key is not base64 (32 or more random bytes)");
        }
        if (key.length < 32) {
            throw new IllegalStateException("the cache key must be at least 32 bytes (base64), not " + key.length);
        }
        return key;
    }

    /** A key file's text: a regular file (never a pipe or a device), of at most 4 KiB. */
    private static String read(Path file, boolean refuseLinks) {
        LinkOption[] links = refuseLinks ? new LinkOption[] {LinkOption.NOFOLLOW_LINKS} : new LinkOption[0];
        try {
            if (!Files.readAttributes(file, BasicFileAttributes.class, links).isRegularFile()) {
                throw new IllegalStateException("the cache key " + file + " is not a regular file");
            }
            byte[] bytes = readAtMost(file, 4096, refuseLinks);
            if (bytes.length > 4096) {
                throw new IllegalStateException("the cache key file " + file + " is larger than 4 KiB");
            }
            return new String(bytes, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the cache key " + file + " (" + e + ")", e);
        }
    }

    /** At most {@code max + 1} bytes of the file, so that a caller can tell a file larger than {@code max}. */
    private static byte[] readAtMost(Path file, int max, boolean refuseLinks) throws IOException {
        Set<java.nio.file.OpenOption> options = refuseLinks
                ? Set.of(StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)
                : Set.of(StandardOpenOption.READ);
        try (FileChannel channel = FileChannel.open(file, options);
                InputStream in = Channels.newInputStream(channel)) {
            return in.readNBytes(max + 1);
        }
    }

    /** Thrown when a file or directory the cache would trust is not the service's own. */
    static final class UntrustedFile extends RuntimeException {
        UntrustedFile(String message) {
            super(message);
        }
    }

    /**
     * Requires a file (or directory) that is itself no link, owned by the service's user and without the given
     * permissions, on a POSIX file system (elsewhere nothing is checked).
     */
    private static void requireOwnFile(Path path, boolean directory, Set<PosixFilePermission> forbidden) {
        if (!path.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return;
        }
        PosixFileAttributes attributes;
        try {
            attributes = Files.readAttributes(path, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException e) {
            throw new UntrustedFile("cannot check " + path + " (" + e + ")");
        }
        if (attributes.isSymbolicLink()) {
            throw new UntrustedFile(path + " is a symbolic link");
        }
        if (directory ? !attributes.isDirectory() : !attributes.isRegularFile()) {
            throw new UntrustedFile(path + " is not a " + (directory ? "directory" : "regular file"));
        }
        UserPrincipal us = processUser(path);
        if (!attributes.owner().equals(us)) {
            throw new UntrustedFile(path + " is owned by " + attributes.owner().getName() + ", not by " + us.getName()
                    + " who runs the service");
        }
        Set<PosixFilePermission> granted = new java.util.HashSet<>(attributes.permissions());
        granted.retainAll(forbidden);
        if (!granted.isEmpty()) {
            throw new UntrustedFile(path + " grants " + granted + " (only its owner may "
                    + (forbidden.contains(PosixFilePermission.GROUP_READ) ? "read or write it)" : "write to it)"));
        }
    }

    /** A configured key file: a secret store's file, which only its owner (often root) may change. */
    private static void requireNotWritableByOthers(Path file) {
        if (!file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return;
        }
        Set<PosixFilePermission> granted;
        try {
            granted = new java.util.HashSet<>(Files.getPosixFilePermissions(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the cache key " + file + " (" + e + ")", e);
        }
        granted.retainAll(GROUP_OR_OTHERS_WRITE);
        if (!granted.isEmpty()) {
            throw new UntrustedFile("the cache key " + file + " grants " + granted);
        }
    }

    private static volatile UserPrincipal processUser;

    /** The owner of a file this process creates: the user the service runs as, whatever user.name says. */
    private static UserPrincipal processUser(Path near) {
        UserPrincipal known = processUser;
        if (known != null) {
            return known;
        }
        try {
            Path probe = Files.createTempFile("termsgate-owner", ".probe");
            try {
                known = Files.getOwner(probe, LinkOption.NOFOLLOW_LINKS);
            } finally {
                Files.deleteIfExists(probe);
            }
        } catch (IOException e) {
            try {
                known = near.getFileSystem()
                        .getUserPrincipalLookupService()
                        .lookupPrincipalByName(System.getProperty("user.name"));
            } catch (IOException unknown) {
                throw new UntrustedFile("cannot tell which user runs the service (" + unknown + ")");
            }
        }
        processUser = known;
        return known;
    }

    private static void generate(Path file) {
        try {
            byte[] key = new byte[32];
            new SecureRandom().nextBytes(key);
            Files.createDirectories(file.getParent());
            Path partial = Files.createTempFile(file.getParent(), GENERATED_KEY_FILE, ".new", ownerOnly(file));
            Files.writeString(partial, Base64.getEncoder().encodeToString(key) + "\n", StandardCharsets.US_ASCII);
            try {
                Files.move(partial, file);
            } catch (FileAlreadyExistsException e) {
                Files.delete(partial); // another compile of this launch generated it first: theirs counts
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the cache key " + file, e);
        }
    }

    private static java.nio.file.attribute.FileAttribute<?>[] ownerOnly(Path where) {
        if (!where.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            log.warn("cannot restrict files in {} to their owner on this file system", where.getParent());
            return new java.nio.file.attribute.FileAttribute<?>[0];
        }
        return new java.nio.file.attribute.FileAttribute<?>[] {
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))
        };
    }

    /**
     * The SHA-256 that names the entry for these sources: the service's build, the code the rules see, the engine's
     * version, and every source the compiler is given, with its path, in the order the compiler is given them.
     */
    byte[] keyOf(Map<String, String> drlFiles, List<SpreadsheetTables.Converted> spreadsheets) {
        MessageDigest sha = sha256();
        field(sha, "termsgate compiled rule base v1");
        field(sha, environment);
        drlFiles.forEach((path, drl) -> {
            field(sha, "drl");
            field(sha, path);
            field(sha, drl);
        });
        for (SpreadsheetTables.Converted sheet : spreadsheets) {
            field(sha, "spreadsheet");
            field(sha, sheet.file());
            field(sha, sheet.drl());
        }
        return sha.digest();
    }

    /**
     * The SHA-256 that names the DMN validator's findings for these files: the service's build, the validator's
     * version, and every DMN file with its path, in path order (each file is validated alone, but the namespaces of
     * all of them decide which of its findings are kept).
     */
    byte[] keyOfDmn(Map<String, byte[]> dmnFiles) {
        MessageDigest sha = sha256();
        field(sha, "termsgate dmn validation v1");
        field(sha, environment);
        new java.util.TreeMap<>(dmnFiles).forEach((path, bytes) -> {
            field(sha, "dmn");
            field(sha, path);
            field(sha, bytes);
        });
        return sha.digest();
    }

    /** Length-prefixed, so that no two different lists of fields hash alike. */
    private static void field(MessageDigest sha, String text) {
        field(sha, text.getBytes(StandardCharsets.UTF_8));
    }

    private static void field(MessageDigest sha, byte[] bytes) {
        sha.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
        sha.update(bytes);
    }

    Path fileOf(byte[] sourcesKey) {
        return fileOf(Kind.RULE_BASE, sourcesKey);
    }

    Path fileOf(Kind kind, byte[] sourcesKey) {
        return dir.resolve(HexFormat.of().formatHex(sourcesKey) + kind.suffix);
    }

    /** The validator's findings for these DMN files ({@link #keyOfDmn}), when an entry holds them; counted. */
    Optional<List<RulesetProblem>> loadFindings(byte[] dmnKey) {
        Optional<Entry> entry = load(Kind.DMN_FINDINGS, dmnKey);
        if (entry.isPresent() && entry.get().kjar().length != 0) {
            return rejected(Kind.DMN_FINDINGS, fileOf(Kind.DMN_FINDINGS, dmnKey), "malformed");
        }
        entry.ifPresent(e -> loaded(Kind.DMN_FINDINGS, dmnKey));
        return entry.map(Entry::warnings);
    }

    /** Keeps the validator's findings for these DMN files (the caller keeps only findings without an error). */
    void storeFindings(byte[] dmnKey, List<RulesetProblem> findings) {
        store(Kind.DMN_FINDINGS, dmnKey, new Entry(findings, new byte[0]));
    }

    /**
     * The entry for these sources, when there is one and it is ours and whole. A miss or a rejection is counted here;
     * a hit once its rule base loaded ({@link #loaded}).
     */
    Optional<Entry> load(byte[] sourcesKey) {
        return load(Kind.RULE_BASE, sourcesKey);
    }

    private Optional<Entry> load(Kind kind, byte[] sourcesKey) {
        Path file = fileOf(kind, sourcesKey);
        byte[] bytes;
        try {
            // never a link, a pipe (a read that waits forever) or a device (one that never ends)
            BasicFileAttributes attributes =
                    Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (!attributes.isRegularFile()) {
                return rejected(kind, file, "not a regular file (a link, a pipe or a device)");
            }
            if (attributes.size() > MAX_ENTRY_BYTES) {
                return rejected(kind, file, "larger than " + MAX_ENTRY_BYTES + " bytes");
            }
            bytes = readAtMost(file, MAX_ENTRY_BYTES, true); // it may have grown since
            if (bytes.length > MAX_ENTRY_BYTES) {
                return rejected(kind, file, "larger than " + MAX_ENTRY_BYTES + " bytes");
            }
        } catch (NoSuchFileException e) {
            count(kind, Result.MISS);
            return Optional.empty();
        } catch (IOException | UncheckedIOException e) {
            return rejected(kind, file, "unreadable (" + e + ")");
        }
        if (bytes.length < MAGIC.length + 32 + TAG
                || !MessageDigest.isEqual(java.util.Arrays.copyOf(bytes, MAGIC.length), MAGIC)) {
            return rejected(kind, file, "not a cache entry, or cut short");
        }
        byte[] expected = tag(bytes, 0, bytes.length - TAG);
        byte[] actual = java.util.Arrays.copyOfRange(bytes, bytes.length - TAG, bytes.length);
        if (!MessageDigest.isEqual(expected, actual)) {
            return rejected(kind, file, "its HMAC does not match (altered, cut short, or written under another key)");
        }
        ByteBuffer body = ByteBuffer.wrap(bytes, MAGIC.length, bytes.length - TAG - MAGIC.length);
        try {
            byte[] named = new byte[32];
            body.get(named);
            if (!MessageDigest.isEqual(named, sourcesKey)) {
                return rejected(kind, file, "it was made from other sources");
            }
            int count = body.getInt();
            if (count < 0 || count > 100_000) {
                return rejected(kind, file, "malformed");
            }
            List<RulesetProblem> warnings = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                RulesetProblem.Severity severity = RulesetProblem.Severity.valueOf(string(body));
                warnings.add(new RulesetProblem(severity, string(body), string(body), string(body)));
            }
            byte[] kjar = new byte[body.getInt()];
            body.get(kjar);
            if (body.hasRemaining()) {
                return rejected(kind, file, "malformed");
            }
            return Optional.of(new Entry(List.copyOf(warnings), kjar));
        } catch (RuntimeException e) { // BufferUnderflow, NegativeArraySize, an unknown severity
            return rejected(kind, file, "malformed (" + e + ")");
        }
    }

    /**
     * Writes the entry for these sources: to a temporary file beside it, then moved into place in one step, so that a
     * reader sees the whole old entry or the whole new one. A cache that cannot be written costs only the next
     * compile: logged, never thrown.
     */
    void store(byte[] sourcesKey, Entry entry) {
        store(Kind.RULE_BASE, sourcesKey, entry);
    }

    private void store(Kind kind, byte[] sourcesKey, Entry entry) {
        Path file = fileOf(kind, sourcesKey);
        Path partial = null;
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(entry.kjar().length + 1024);
            DataOutputStream data = new DataOutputStream(out);
            data.write(MAGIC);
            data.write(sourcesKey);
            data.writeInt(entry.warnings().size());
            for (RulesetProblem warning : entry.warnings()) {
                string(data, warning.severity().name());
                string(data, warning.file());
                string(data, warning.location());
                string(data, warning.message());
            }
            data.writeInt(entry.kjar().length);
            data.write(entry.kjar());
            data.flush();
            byte[] body = out.toByteArray();
            byte[] tag = tag(body, 0, body.length);
            createDirectory(dir);
            partial = Files.createTempFile(dir, file.getFileName().toString(), ".tmp", ownerOnly(file));
            try (FileChannel channel = FileChannel.open(partial, StandardOpenOption.WRITE)) {
                channel.write(ByteBuffer.wrap(body));
                channel.write(ByteBuffer.wrap(tag));
                channel.force(true);
            }
            Files.move(partial, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            partial = null;
            trim(kind);
        } catch (IOException | RuntimeException e) {
            log.warn("Could not write the compiled ruleset cache entry {}: {}", file, e.toString());
        } finally {
            if (partial != null) {
                try {
                    Files.deleteIfExists(partial);
                } catch (IOException e) {
                    // left for the next clean-up of the directory
                }
            }
        }
    }

    /** Counts an entry whose rule base was loaded, and marks it recently used. */
    void loaded(byte[] sourcesKey) {
        loaded(Kind.RULE_BASE, sourcesKey);
    }

    private void loaded(Kind kind, byte[] sourcesKey) {
        count(kind, Result.HIT);
        try {
            Files.setLastModifiedTime(fileOf(kind, sourcesKey), FileTime.from(Instant.now()));
        } catch (IOException e) {
            // only its place in the order of removal
        }
    }

    /**
     * Keeps the {@value #MAX_ENTRIES} most recently written or loaded entries of a kind (each edit of a watched rule
     * folder writes one, of about 200 KB for the default ruleset's rule base), and removes what an interrupted write
     * left behind.
     */
    private void trim(Kind kind) throws IOException {
        List<Path> entries = new ArrayList<>();
        Instant abandoned = Instant.now().minusSeconds(3600);
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                String name = file.getFileName().toString();
                if (name.endsWith(kind.suffix)) {
                    entries.add(file);
                } else if (name.endsWith(".tmp") && modified(file).isBefore(abandoned)) {
                    delete(file);
                }
            }
        }
        if (entries.size() <= MAX_ENTRIES) {
            return;
        }
        // read once: another instance may mark an entry used while this one sorts
        Map<Path, Instant> modified = new HashMap<>();
        entries.forEach(file -> modified.put(file, modified(file)));
        entries.sort(Comparator.comparing(modified::get).reversed());
        for (Path old : entries.subList(MAX_ENTRIES, entries.size())) {
            delete(old); // one that cannot be removed keeps none of the others
        }
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            log.warn("Could not remove {} from the compiled ruleset cache: {}", file, e.toString());
        }
    }

    private static Instant modified(Path file) {
        try {
            return Files.getLastModifiedTime(file, LinkOption.NOFOLLOW_LINKS).toInstant();
        } catch (IOException e) {
            return Instant.EPOCH;
        }
    }

    /** Counts an entry that passed its checks but whose kjar did not load as an executable model. */
    void unusable(byte[] sourcesKey, String why) {
        rejected(Kind.RULE_BASE, fileOf(sourcesKey), why);
    }

    private static void createDirectory(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.createDirectories(
                    dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } else {
            Files.createDirectories(dir);
        }
    }

    private <T> Optional<T> rejected(Kind kind, Path file, String why) {
        count(kind, Result.REJECTED);
        log.warn("Ignoring the compiled ruleset cache entry {}: {}; {}", file, why, kind.instead);
        return Optional.empty();
    }

    private byte[] tag(byte[] bytes, int offset, int length) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            mac.update(bytes, offset, length);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void string(DataOutputStream out, String text) throws IOException {
        byte[] bytes = (text == null ? "" : text).getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static String string(ByteBuffer in) {
        byte[] bytes = new byte[in.getInt()];
        in.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    static void count(Result result) {
        count(Kind.RULE_BASE, result);
    }

    private static final Map<String, AtomicLong> COUNTS = new ConcurrentHashMap<>();

    /**
     * Counted here and read by Micrometer when it is scraped: a compile at launch (EarlyCompile) runs before Spring's
     * registry joins the global one, and an increment of a plain counter made then would be lost with no registry
     * to take it; a rejected entry at start-up is the count an operator most needs.
     */
    private static void count(Kind kind, Result result) {
        String tag = result.name().toLowerCase(java.util.Locale.ROOT);
        COUNTS.computeIfAbsent(kind.meter + " " + tag, k -> {
                    AtomicLong count = new AtomicLong();
                    FunctionCounter.builder(kind.meter, count, AtomicLong::get)
                            .tag("result", tag)
                            .register(Metrics.globalRegistry);
                    return count;
                })
                .incrementAndGet();
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * What besides the sources decides the compiled classes and the DMN validator's findings: the service's build (its
     * version and the bytes of the classes the rules see, and of the compiler set-up, which change on a rebuild even
     * when the version does not), the engine's and the validator's versions and the Java version.
     */
    static final class Fingerprint {

        private static volatile String environment;

        private Fingerprint() {}

        static String environment() {
            String computed = environment;
            if (computed == null) {
                computed = compute();
                environment = computed;
            }
            return computed;
        }

        private static String compute() {
            MessageDigest sha = sha256();
            Stream.concat(
                            Stream.concat(
                                    DrlPolicyLanguage.FACTS.values().stream(),
                                    DrlPolicyLanguage.GLOBALS.values().stream()),
                            // and what turns the DMN validator's messages into findings
                            Stream.of(
                                    RuleBaseCompiler.class, RuleBaseCache.class, DmnCompiler.class, DmnLocations.class))
                    .flatMap(Fingerprint::withNested)
                    .distinct()
                    .sorted(Comparator.comparing(Class::getName))
                    .forEach(type -> {
                        field(sha, type.getName());
                        sha.update(classBytes(type));
                    });
            String version = RuleBaseCache.class.getPackage().getImplementationVersion();
            return "termsgate " + (version == null ? "dev" : version)
                    + " code " + HexFormat.of().formatHex(sha.digest())
                    + " drools " + DroolsDecisionEngine.mavenVersion("org.drools", "drools-core")
                    + " drools-model " + DroolsDecisionEngine.mavenVersion("org.drools", "drools-model-codegen")
                    + " kie-dmn-validation " + DroolsDecisionEngine.mavenVersion("org.kie", "kie-dmn-validation")
                    + " java " + System.getProperty("java.specification.version") + "/"
                    + System.getProperty("java.vm.version");
        }

        private static Stream<Class<?>> withNested(Class<?> type) {
            return Stream.concat(
                    Stream.of(type), Stream.of(type.getDeclaredClasses()).flatMap(Fingerprint::withNested));
        }

        private static byte[] classBytes(Class<?> type) {
            String resource = type.getName().replace('.', '/') + ".class";
            try (InputStream in = type.getClassLoader().getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("cannot read " + resource);
                }
                return in.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
