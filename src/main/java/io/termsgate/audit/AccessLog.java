package io.termsgate.audit;

import io.termsgate.security.People;
import io.termsgate.web.ApiProblemException;
import io.termsgate.web.ProblemTypes;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Component;
import org.springframework.transaction.TransactionException;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Who looked: every read of the decision log by an auditor is appended here, hash-chained like the log itself (its
 * head in {@code decision_log_head} under {@code access}), before the answer is given. An access that cannot be
 * recorded is refused with a 503: an unlogged read is what this log exists to prevent.
 */
@Component
public class AccessLog {

    private static final Logger log = LoggerFactory.getLogger(AccessLog.class);

    static final String CHAIN = "access";
    private static final String COLUMNS =
            "seq, at, actor, via, action, decision_id, parameters, result_count, previous_hash, hash";
    private static final int MAX_PARAMETERS = 2000;

    /** What was done. */
    public enum Action {
        READ,
        SEARCH,
        EXPORT,
        REPLAY,
        VERIFY,
        ACCESS_LOG,
        LEDGER_VERIFY,
        REFERRALS_VERIFY
    }

    /** A search of the access log; null fields match anything; time is [from, to); before a seq (exclusive). */
    record Query(String actor, Action action, Instant from, Instant to, Long beforeSeq) {}

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final Clock clock;

    private final PersonalData personalData;

    AccessLog(JdbcClient jdbc, TransactionTemplate transactions, Clock clock, PersonalData personalData) {
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.clock = clock;
        this.personalData = personalData;
    }

    /**
     * The parameters as the access log keeps them: a customer id searched for becomes the customer's subject
     * reference ({@code ~none} when the log holds nothing of them), so the access log - which nobody may change -
     * never holds a customer id an erasure could not reach.
     */
    private Map<String, ?> pseudonymised(Map<String, ?> parameters) {
        if (parameters == null || !parameters.containsKey("customerId") || personalData == null) {
            return parameters;
        }
        Map<String, Object> kept = new LinkedHashMap<>(parameters);
        kept.put(
                "customerId",
                personalData
                        .subjectOf(String.valueOf(parameters.get("customerId")))
                        .orElse("~none"));
        return kept;
    }

    /**
     * Appends one look at the log, in its own transaction.
     *
     * @param parameters the request's parameters that were given (name to value, in order), absent ones left out
     * @throws ApiProblemException 503 when it cannot be recorded: the caller must not answer
     */
    public void record(
            Authentication who, Action action, UUID decisionId, Map<String, ?> parameters, Long resultCount) {
        AccessEntry entry = new AccessEntry(
                0,
                clock.instant().truncatedTo(ChronoUnit.MICROS),
                truncate(People.personOf(who), 100),
                truncate(who.getName(), 100),
                action.name(),
                decisionId,
                truncate(queryString(pseudonymised(parameters)), MAX_PARAMETERS),
                resultCount,
                null,
                null);
        try {
            transactions.executeWithoutResult(status -> append(entry));
        } catch (DataAccessException | TransactionException e) {
            log.warn(
                    "access by {} ({}) refused: the access log cannot be written: {}",
                    entry.actor(),
                    action,
                    e.getMessage());
            HttpHeaders headers = new HttpHeaders();
            headers.set(HttpHeaders.RETRY_AFTER, "1");
            throw new ApiProblemException(
                    HttpStatus.SERVICE_UNAVAILABLE,
                    ProblemTypes.SERVICE_UNAVAILABLE,
                    "Access log unavailable",
                    "This read of the decision log cannot be recorded in the access log, so it is refused; retry"
                            + " shortly.",
                    headers);
        }
    }

    /** The request's parameters as a query string: names in the given order, values URL-encoded. */
    static String queryString(Map<String, ?> parameters) {
        if (parameters == null) {
            return "";
        }
        return parameters.entrySet().stream()
                .filter(e -> e.getValue() != null)
                .map(e -> e.getKey() + "=" + URLEncoder.encode(String.valueOf(e.getValue()), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }

    /** Parameters in the order given, absent ones (empty optionals) left out. */
    public static Map<String, Object> parameters(Object... nameValue) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i + 1 < nameValue.length; i += 2) {
            Object value = nameValue[i + 1];
            if (value instanceof Optional<?> optional) {
                value = optional.orElse(null);
            }
            if (value != null) {
                map.put((String) nameValue[i], value);
            }
        }
        return map;
    }

    private void append(AccessEntry entry) {
        long[] seq = new long[1];
        String head = jdbc.sql("SELECT seq, hash FROM decision_log_head WHERE chain = ? FOR UPDATE")
                .param(CHAIN)
                .query((rs, n) -> {
                    seq[0] = rs.getLong(1);
                    return rs.getString(2);
                })
                .single();
        AccessEntry chained = entry.chained(seq[0] + 1, head);
        jdbc.sql("INSERT INTO access_log (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .params(
                        chained.seq(),
                        chained.at().atOffset(ZoneOffset.UTC),
                        chained.actor(),
                        chained.via(),
                        chained.action(),
                        chained.decisionId(),
                        chained.parameters(),
                        chained.resultCount(),
                        chained.previousHash(),
                        chained.hash())
                .update();
        jdbc.sql("UPDATE decision_log_head SET seq = ?, hash = ? WHERE chain = ?")
                .params(chained.seq(), chained.hash(), CHAIN)
                .update();
    }

    /** Newest first, at most {@code limit}. */
    List<AccessEntry> search(Query query, int limit) {
        List<String> conditions = new ArrayList<>();
        Map<String, Object> params = new HashMap<>();
        if (query.actor() != null) {
            conditions.add("actor = :actor");
            params.put("actor", query.actor());
        }
        if (query.action() != null) {
            conditions.add("action = :action");
            params.put("action", query.action().name());
        }
        if (query.from() != null) {
            conditions.add("at >= :from");
            params.put("from", query.from().atOffset(ZoneOffset.UTC));
        }
        if (query.to() != null) {
            conditions.add("at < :to");
            params.put("to", query.to().atOffset(ZoneOffset.UTC));
        }
        if (query.beforeSeq() != null) {
            conditions.add("seq < :before");
            params.put("before", query.beforeSeq());
        }
        String where = conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
        return jdbc.sql("SELECT " + COLUMNS + " FROM access_log" + where + " ORDER BY seq DESC LIMIT :limit")
                .params(params)
                .param("limit", limit)
                .query(AccessLog::entry)
                .list();
    }

    /** Walks the access log's chain from its first entry up to its head. */
    ChainWalk.Result verify() {
        long[] seq = new long[1];
        String hash = jdbc.sql("SELECT seq, hash FROM decision_log_head WHERE chain = ?")
                .param(CHAIN)
                .query((rs, n) -> {
                    seq[0] = rs.getLong(1);
                    return rs.getString(2);
                })
                .single();
        return ChainWalk.walk(seq[0], hash, this::chain, new ChainWalk.Names("entry", "entries", "the access log's"));
    }

    private List<AccessEntry> chain(long fromSeq, int limit) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM access_log WHERE seq >= ? ORDER BY seq LIMIT ?")
                .params(fromSeq, limit)
                .query(AccessLog::entry)
                .list();
    }

    private static AccessEntry entry(ResultSet rs, int n) throws SQLException {
        return new AccessEntry(
                rs.getLong("seq"),
                rs.getObject("at", OffsetDateTime.class).toInstant(),
                rs.getString("actor"),
                rs.getString("via"),
                rs.getString("action"),
                rs.getObject("decision_id", UUID.class),
                rs.getString("parameters"),
                (Long) rs.getObject("result_count", Long.class),
                rs.getString("previous_hash"),
                rs.getString("hash"));
    }

    private static String truncate(String value, int max) {
        return value.length() <= max ? value : value.substring(0, max);
    }
}
