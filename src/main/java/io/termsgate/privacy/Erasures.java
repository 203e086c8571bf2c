package io.termsgate.privacy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.termsgate.audit.ChainWalk;
import io.termsgate.audit.PersonalData;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Erasure requests: destroys a customer's data key (their decisions stay, counted and verifiable, unreadable and
 * unfindable by the customer), reaches what other modules keep of them, and appends the erasure to its own hash chain
 * ({@code personal_data_erasure}, head {@code erasures}) - all in one transaction, or nothing.
 */
@Service
public class Erasures {

    static final String CHAIN = "erasures";

    /** Writes what an erasure reached: maps in insertion order, strings and whole numbers only, so one text. */
    private static final ObjectMapper JSON = new ObjectMapper();

    /** An erasure done: what the privacy officer is told. It does not name the subject reference. */
    public record Erasure(
            UUID erasureId,
            long seq,
            String customerId,
            Instant erasedAt,
            String erasedBy,
            long decisionsErased,
            long decisionsKeptInClear,
            List<ErasureReach.Reached> reached) {}

    /**
     * The erasures' chain walked, and every customer key missing from the log's keys accounted for by an erasure.
     *
     * @param keysDestroyedWithoutErasure subject references whose key is gone with no erasure recorded (a key row
     *     deleted behind the service's back), at most 100
     */
    public record ChainReport(
            boolean valid,
            long erasuresChecked,
            Long firstInvalidSeq,
            String problem,
            List<String> keysDestroyedWithoutErasure) {}

    /** Nothing of the customer to erase (never decided, or erased already). */
    public static class NothingToErase extends RuntimeException {
        NothingToErase(String message) {
            super(message);
        }
    }

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final PersonalData personalData;
    private final List<ErasureReach> reaches;
    private final Clock clock;

    Erasures(
            JdbcClient jdbc,
            TransactionTemplate transactions,
            PersonalData personalData,
            List<ErasureReach> reaches,
            Clock clock) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.personalData = personalData;
        this.reaches = List.copyOf(reaches);
        this.clock = clock;
    }

    /**
     * Erases the customer's personal data.
     *
     * @throws NothingToErase when the log holds no sealed data of the customer
     * @throws ErasureRefused when a module refuses (an open referral): nothing is erased
     */
    public Erasure erase(String customerId, String erasedBy) {
        String[] destroyedRef = new String[1];
        Erasure erasure = transactions.execute(status -> {
            // one erasure at a time appends to the chain; the head row is the lock
            ChainHead head = jdbc.sql("SELECT seq, hash FROM decision_log_head WHERE chain = ? FOR UPDATE")
                    .param(CHAIN)
                    .query((rs, n) -> new ChainHead(rs.getLong(1), rs.getString(2)))
                    .single();
            long clear = personalData.clearDecisionsOf(customerId);
            Optional<String> destroyed = personalData.destroyKey(customerId);
            if (destroyed.isEmpty()) {
                throw new NothingToErase(
                        clear == 0
                                ? "The log holds no personal data of customer " + customerId
                                        + " (never decided, or erased already)"
                                : "The log holds " + clear + " decisions of customer " + customerId
                                        + " logged before personal data was sealed: they hold the customer id in clear"
                                        + " and cannot be erased without breaking the hash chain");
            }
            String ref = destroyed.get();
            destroyedRef[0] = ref;
            long sealed = personalData.sealedDecisionsOf(ref);
            List<ErasureReach.Reached> reached = new ArrayList<>();
            for (ErasureReach reach : reaches) {
                reached.add(reach.erase(customerId, ref));
            }
            Instant at = Instant.now(clock).truncatedTo(ChronoUnit.MICROS); // as the database keeps it
            Map<String, Object> what = new LinkedHashMap<>();
            what.put("decisionsErased", sealed);
            what.put("decisionsKeptInClear", clear);
            List<Map<String, Object>> others = new ArrayList<>();
            for (ErasureReach.Reached r : reached) {
                Map<String, Object> one = new LinkedHashMap<>();
                one.put("where", r.where());
                one.put("records", r.records());
                one.put("how", r.how());
                others.add(one);
            }
            what.put("reached", others);
            ErasureRecord record = new ErasureRecord(0, UUID.randomUUID(), ref, at, erasedBy, json(what), null, null)
                    .chained(head.seq() + 1, head.hash());
            jdbc.sql("INSERT INTO personal_data_erasure (seq, erasure_id, subject_ref, erased_at, erased_by, "
                            + "reached_json, previous_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
                    .params(
                            record.seq(),
                            record.erasureId(),
                            record.subjectRef(),
                            at.atOffset(ZoneOffset.UTC),
                            erasedBy,
                            record.reachedJson(),
                            record.previousHash(),
                            record.hash())
                    .update();
            jdbc.sql("UPDATE decision_log_head SET seq = ?, hash = ? WHERE chain = ?")
                    .params(record.seq(), record.hash(), CHAIN)
                    .update();
            return new Erasure(record.erasureId(), record.seq(), customerId, at, erasedBy, sealed, clear, reached);
        });
        personalData.forget(customerId, destroyedRef[0]); // committed: nothing cached from before stays
        return erasure;
    }

    /** Erasures, newest first. */
    public List<ErasureRecord> list(int page, int size) {
        return jdbc.sql("SELECT * FROM personal_data_erasure ORDER BY seq DESC LIMIT ? OFFSET ?")
                .params(size, (long) page * size)
                .query(ROW)
                .list();
    }

    public long count() {
        return jdbc.sql("SELECT COUNT(*) FROM personal_data_erasure")
                .query(Long.class)
                .single();
    }

    /** Walks the erasures' chain: each erasure recomputed and linked, up to its head. */
    public ChainReport verifyChain() {
        ChainHead head = jdbc.sql("SELECT seq, hash FROM decision_log_head WHERE chain = ?")
                .param(CHAIN)
                .query((rs, n) -> new ChainHead(rs.getLong(1), rs.getString(2)))
                .single();
        ChainWalk.Result walked = ChainWalk.walk(
                head.seq(),
                head.hash(),
                (from, limit) -> jdbc.sql("SELECT * FROM personal_data_erasure WHERE seq >= ? ORDER BY seq LIMIT ?")
                        .params(from, limit)
                        .query(ROW)
                        .list(),
                new ChainWalk.Names("erasure", "erasures", "the erasures'"));
        List<String> unaccounted = personalData.referencesWithoutKey(10_000).stream()
                .filter(ref -> jdbc.sql("SELECT COUNT(*) FROM personal_data_erasure WHERE subject_ref = ?")
                                .param(ref)
                                .query(Long.class)
                                .single()
                        == 0)
                .limit(100)
                .toList();
        String problem = walked.problem() != null
                ? walked.problem()
                : unaccounted.isEmpty()
                        ? null
                        : unaccounted.size() + " customer key(s) are gone with no erasure recorded: deleted outside the"
                                + " service, their decisions unreadable";
        return new ChainReport(
                walked.valid() && unaccounted.isEmpty(),
                walked.checked(),
                walked.firstInvalidSeq(),
                problem,
                unaccounted);
    }

    private record ChainHead(long seq, String hash) {}

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final RowMapper<ErasureRecord> ROW = (rs, n) -> new ErasureRecord(
            rs.getLong("seq"),
            rs.getObject("erasure_id", UUID.class),
            rs.getString("subject_ref"),
            rs.getObject("erased_at", OffsetDateTime.class).toInstant(),
            rs.getString("erased_by"),
            rs.getString("reached_json"),
            rs.getString("previous_hash"),
            rs.getString("hash"));
}
