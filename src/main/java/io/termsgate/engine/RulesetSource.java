package io.termsgate.engine;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collections;
import java.util.HexFormat;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The files of one ruleset, by path relative to the ruleset root ({@code rules/knockouts.drl},
 * {@code decision-tables/credit-terms.dmn}, ...), and the version that names them.
 *
 * <p>The version is {@code sha256:<hex>} over the files in path order, each contributing its path, a NUL byte, its
 * length in decimal, a NUL byte and its bytes. The same files always give the same version, wherever they were read
 * from, and any change to a name or a byte gives another.
 */
public final class RulesetSource {

    private final SortedMap<String, byte[]> files;
    private final String version;

    private RulesetSource(SortedMap<String, byte[]> files) {
        this.files = files;
        this.version = versionOf(files);
    }

    private static final java.util.regex.Pattern VERSION = java.util.regex.Pattern.compile("sha256:[0-9a-f]{64}");

    /** Whether {@code text} has the form of a version: {@code sha256:} and 64 lower-case hex digits. */
    public static boolean isVersion(String text) {
        return text != null && VERSION.matcher(text).matches();
    }

    /** SHA-256 of {@code bytes} as 64 lower-case hex digits. */
    public static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    public static RulesetSource of(Map<String, byte[]> files) {
        SortedMap<String, byte[]> copy = new TreeMap<>();
        files.forEach((path, bytes) -> copy.put(RulesetPaths.requireValid(path), bytes.clone()));
        return new RulesetSource(Collections.unmodifiableSortedMap(copy));
    }

    /** {@code sha256:<64 hex digits>}. */
    public String version() {
        return version;
    }

    /** Paths in sorted order. */
    public SortedMap<String, byte[]> files() {
        return files;
    }

    public byte[] file(String path) {
        byte[] bytes = files.get(path);
        return bytes == null ? null : bytes.clone();
    }

    private static String versionOf(SortedMap<String, byte[]> files) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            for (Map.Entry<String, byte[]> file : files.entrySet()) {
                sha256.update(file.getKey().getBytes(StandardCharsets.UTF_8));
                sha256.update((byte) 0);
                sha256.update(Integer.toString(file.getValue().length).getBytes(StandardCharsets.US_ASCII));
                sha256.update((byte) 0);
                sha256.update(file.getValue());
            }
            return "sha256:" + HexFormat.of().formatHex(sha256.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    @Override
    public String toString() {
        return version + " " + files.keySet();
    }
}
