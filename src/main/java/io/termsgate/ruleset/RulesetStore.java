package io.termsgate.ruleset;

import io.termsgate.engine.RulesetSource;
import io.termsgate.ruleset.HistoryEntry.Event;
import io.termsgate.ruleset.StoredVersion.Status;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Every ruleset version ever loaded or uploaded, with all its files' bytes, kept forever under its {@code sha256:}
 * version so that any of them can be rebuilt and run again; its place in the lifecycle (candidate, approved,
 * active, retired) with who moved it there and when; the append-only history of those moves; and the one version
 * that is live for every instance.
 */
@Repository
class RulesetStore {

    /** The live version, who made it live and when. */
    public record Active(String version, String activatedBy, Instant activatedAt) {}

    /** How a version came to be stored: its metadata at upload. */
    public record Provenance(
            String storedBy,
            String origin,
            String baseVersion,
            String warningsJson,
            String scenariosJson,
            Boolean scenariosPassed) {

        public static Provenance loaded(String storedBy, String origin) {
            return new Provenance(storedBy, origin, null, null, null, null);
        }
    }

    private static final String VERSION_COLUMNS = "version, status, stored_at, stored_by, origin, file_count, "
            + "base_version, approved_by, approved_at, activated_by, activated_at, warnings_json, scenarios_json, "
            + "scenarios_passed";

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;

    RulesetStore(JdbcClient jdbc, TransactionTemplate transactions) {
        this.jdbc = jdbc;
        this.transactions = transactions;
    }

    /**
     * Stores a version and its files as a candidate, unless it is stored already (then nothing is written).
     *
     * @return true when this call stored it
     */
    public boolean store(RulesetSource source, String storedBy, String origin, Instant at) {
        return store(source, Provenance.loaded(storedBy, origin), Event.LOADED, at);
    }

    public boolean store(RulesetSource source, Provenance provenance, Event event, Instant at) {
        if (exists(source.version())) {
            return false;
        }
        try {
            transactions.executeWithoutResult(status -> {
                jdbc.sql("INSERT INTO ruleset_version (version, status, stored_at, stored_by, origin, file_count, "
                                + "base_version, warnings_json, scenarios_json, scenarios_passed) "
                                + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                        .params(
                                source.version(),
                                Status.CANDIDATE.name(),
                                utc(at),
                                provenance.storedBy(),
                                truncate(provenance.origin(), 1000),
                                source.files().size(),
                                provenance.baseVersion(),
                                provenance.warningsJson(),
                                provenance.scenariosJson(),
                                provenance.scenariosPassed())
                        .update();
                source.files()
                        .forEach((path, bytes) -> jdbc.sql("INSERT INTO ruleset_file "
                                        + "(version, path, sha256, size, content) VALUES (?, ?, ?, ?, ?)")
                                .params(source.version(), path, sha256(bytes), bytes.length, bytes)
                                .update());
                record(source.version(), event, provenance.storedBy(), at, null, provenance.origin());
            });
            return true;
        } catch (DuplicateKeyException e) {
            return false; // another instance stored the same version at the same moment
        }
    }

    public boolean exists(String version) {
        return jdbc.sql("SELECT COUNT(*) FROM ruleset_version WHERE version = ?")
                        .param(version)
                        .query(Integer.class)
                        .single()
                > 0;
    }

    public Optional<RulesetSource> load(String version) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        jdbc.sql("SELECT path, content FROM ruleset_file WHERE version = ? ORDER BY path")
                .param(version)
                .query(rs -> {
                    files.put(rs.getString(1), rs.getBytes(2));
                });
        if (files.isEmpty()) {
            return Optional.empty();
        }
        RulesetSource source = RulesetSource.of(files);
        if (!source.version().equals(version)) {
            throw new IllegalStateException(
                    "stored files of " + version + " hash to " + source.version() + ": the ruleset store was altered");
        }
        return Optional.of(source);
    }

    public Optional<byte[]> file(String version, String path) {
        return jdbc.sql("SELECT content FROM ruleset_file WHERE version = ? AND path = ?")
                .params(version, path)
                .query((rs, n) -> rs.getBytes(1))
                .optional();
    }

    public Optional<StoredVersion> find(String version) {
        return jdbc.sql("SELECT " + VERSION_COLUMNS + " FROM ruleset_version WHERE version = ?")
                .param(version)
                .query(RulesetStore::version)
                .optional();
    }

    /** Newest first. */
    public List<StoredVersion> versions() {
        return jdbc.sql("SELECT " + VERSION_COLUMNS + " FROM ruleset_version ORDER BY stored_at DESC, version")
                .query(RulesetStore::version)
                .list();
    }

    public List<HistoryEntry> history(String version) {
        return jdbc.sql("SELECT id, version, event, actor, occurred_at, from_version, detail FROM ruleset_event "
                        + "WHERE version = ? ORDER BY id")
                .param(version)
                .query(RulesetStore::historyEntry)
                .list();
    }

    public Optional<Active> active() {
        return jdbc.sql("SELECT version, activated_by, activated_at FROM ruleset_active WHERE id = 1")
                .query((rs, n) -> new Active(rs.getString(1), rs.getString(2), instant(rs, 3)))
                .optional();
    }

    public void approve(String version, String actor, Instant at) {
        transactions.executeWithoutResult(status -> {
            jdbc.sql("UPDATE ruleset_version SET status = ?, approved_by = ?, approved_at = ? "
                            + "WHERE version = ? AND status = ?")
                    .params(Status.APPROVED.name(), actor, utc(at), version, Status.CANDIDATE.name())
                    .update();
            record(version, Event.APPROVED, actor, at, null, null);
        });
    }

    /**
     * Makes {@code version} the live one for every instance, retiring the one that was live, in one transaction.
     *
     * @return the version that was live before, if any
     */
    public Optional<String> activate(String version, String actor, Instant at, String detail) {
        return transactions.execute(status -> {
            Optional<String> previous = jdbc.sql("SELECT version FROM ruleset_active WHERE id = 1 FOR UPDATE")
                    .query(String.class)
                    .optional();
            if (previous.isPresent() && previous.get().equals(version)) {
                return previous;
            }
            previous.ifPresent(old -> {
                jdbc.sql("UPDATE ruleset_version SET status = ? WHERE version = ?")
                        .params(Status.RETIRED.name(), old)
                        .update();
                record(old, Event.RETIRED, actor, at, null, "replaced by " + version);
            });
            jdbc.sql("UPDATE ruleset_version SET status = ?, activated_by = ?, activated_at = ? WHERE version = ?")
                    .params(Status.ACTIVE.name(), actor, utc(at), version)
                    .update();
            int updated = jdbc.sql("UPDATE ruleset_active SET version = ?, activated_by = ?, activated_at = ? "
                            + "WHERE id = 1")
                    .params(version, actor, utc(at))
                    .update();
            if (updated == 0) {
                jdbc.sql("INSERT INTO ruleset_active (id, version, activated_by, activated_at) VALUES (1, ?, ?, ?)")
                        .params(version, actor, utc(at))
                        .update();
            }
            record(version, Event.ACTIVATED, actor, at, previous.orElse(null), detail);
            return previous;
        });
    }

    /** The version a watched rule folder held when it was last read, if it was ever read. */
    public Optional<String> folderVersion(String folder) {
        return jdbc.sql("SELECT version FROM ruleset_folder WHERE folder = ?")
                .param(folder)
                .query(String.class)
                .optional();
    }

    public void folderSeen(String folder, String version, Instant at) {
        int updated = jdbc.sql("UPDATE ruleset_folder SET version = ?, seen_at = ? WHERE folder = ?")
                .params(version, utc(at), folder)
                .update();
        if (updated == 0) {
            jdbc.sql("INSERT INTO ruleset_folder (folder, version, seen_at) VALUES (?, ?, ?)")
                    .params(folder, version, utc(at))
                    .update();
        }
    }

    private void record(String version, Event event, String actor, Instant at, String fromVersion, String detail) {
        jdbc.sql("INSERT INTO ruleset_event (version, event, actor, occurred_at, from_version, detail) "
                        + "VALUES (?, ?, ?, ?, ?, ?)")
                .params(
                        version,
                        event.name(),
                        actor,
                        utc(at),
                        fromVersion,
                        detail == null ? null : truncate(detail, 1000))
                .update();
    }

    private static StoredVersion version(ResultSet rs, int n) throws SQLException {
        return new StoredVersion(
                rs.getString("version"),
                Status.valueOf(rs.getString("status")),
                instant(rs, "stored_at"),
                rs.getString("stored_by"),
                rs.getString("origin"),
                rs.getInt("file_count"),
                rs.getString("base_version"),
                rs.getString("approved_by"),
                instant(rs, "approved_at"),
                rs.getString("activated_by"),
                instant(rs, "activated_at"),
                rs.getString("warnings_json"),
                rs.getString("scenarios_json"),
                (Boolean) rs.getObject("scenarios_passed"));
    }

    private static HistoryEntry historyEntry(ResultSet rs, int n) throws SQLException {
        return new HistoryEntry(
                rs.getLong(1),
                rs.getString(2),
                Event.valueOf(rs.getString(3)),
                rs.getString(4),
                instant(rs, 5),
                rs.getString(6),
                rs.getString(7));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static OffsetDateTime utc(Instant at) {
        return at.atOffset(ZoneOffset.UTC);
    }

    private static String truncate(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max);
    }

    static String sha256(byte[] bytes) {
        return RulesetSource.sha256Hex(bytes);
    }
}
