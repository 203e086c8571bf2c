package io.termsgate.ruleset;

import io.termsgate.engine.RulesetSource;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Every ruleset version ever loaded, with all its files' bytes, kept forever under its {@code sha256:} version so
 * that any of them can be rebuilt and run again, whatever happened to the files on disk since.
 */
@Repository
public class RulesetStore {

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;

    public RulesetStore(JdbcClient jdbc, TransactionTemplate transactions) {
        this.jdbc = jdbc;
        this.transactions = transactions;
    }

    /** A stored version, without its files. */
    public record StoredVersion(String version, Instant storedAt, String storedBy, String origin, int fileCount) {
    }

    /**
     * Stores a version and its files, unless it is stored already (then nothing is written).
     *
     * @return true when this call stored it
     */
    public boolean store(RulesetSource source, String storedBy, String origin, Instant at) {
        if (exists(source.version())) {
            return false;
        }
        try {
            transactions.executeWithoutResult(status -> {
                jdbc.sql("INSERT INTO ruleset_version (version, stored_at, stored_by, origin, file_count) "
                                + "VALUES (?, ?, ?, ?, ?)")
                        .params(source.version(), at.atOffset(ZoneOffset.UTC), storedBy, truncate(origin, 1000),
                                source.files().size())
                        .update();
                source.files().forEach((path, bytes) -> jdbc.sql("INSERT INTO ruleset_file "
                                + "(version, path, sha256, size, content) VALUES (?, ?, ?, ?, ?)")
                        .params(source.version(), path, sha256(bytes), bytes.length, bytes)
                        .update());
            });
            return true;
        } catch (DuplicateKeyException e) {
            return false; // another instance stored the same version at the same moment
        }
    }

    public boolean exists(String version) {
        return jdbc.sql("SELECT COUNT(*) FROM ruleset_version WHERE version = ?").param(version)
                .query(Integer.class).single() > 0;
    }

    public Optional<RulesetSource> load(String version) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        jdbc.sql("SELECT path, content FROM ruleset_file WHERE version = ? ORDER BY path").param(version)
                .query(rs -> {
                    files.put(rs.getString(1), rs.getBytes(2));
                });
        if (files.isEmpty()) {
            return Optional.empty();
        }
        RulesetSource source = RulesetSource.of(files);
        if (!source.version().equals(version)) {
            throw new IllegalStateException("stored files of " + version + " hash to " + source.version()
                    + ": the ruleset store was altered");
        }
        return Optional.of(source);
    }

    public Optional<StoredVersion> find(String version) {
        return jdbc.sql("SELECT version, stored_at, stored_by, origin, file_count FROM ruleset_version WHERE version = ?")
                .param(version).query((rs, n) -> new StoredVersion(rs.getString(1),
                        rs.getObject(2, java.time.OffsetDateTime.class).toInstant(), rs.getString(3), rs.getString(4),
                        rs.getInt(5)))
                .optional();
    }

    public List<StoredVersion> versions() {
        return jdbc.sql("SELECT version, stored_at, stored_by, origin, file_count FROM ruleset_version "
                        + "ORDER BY stored_at DESC")
                .query((rs, n) -> new StoredVersion(rs.getString(1),
                        rs.getObject(2, java.time.OffsetDateTime.class).toInstant(), rs.getString(3), rs.getString(4),
                        rs.getInt(5)))
                .list();
    }

    private static String truncate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max);
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
