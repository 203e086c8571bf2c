package io.termsgate.shadow;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.termsgate.audit.DecisionLog;
import io.termsgate.audit.LoggedDecision;
import io.termsgate.engine.DecisionMath;
import io.termsgate.ruleset.RulesetLifecycle;
import io.termsgate.ruleset.StoredVersion;
import io.termsgate.web.ApiProblemException;
import io.termsgate.web.ProblemTypes;
import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Challengers: starting and stopping one (one at a time, for every instance: the database's one challenger row
 * decides), and their reports and changed decisions, computed from the rows every instance stored, so two instances
 * feed one report.
 */
@Service
public class ShadowRuns {

    private static final Logger log = LoggerFactory.getLogger(ShadowRuns.class);

    /** A run as stored. */
    record Run(
            String rulesetVersion,
            String status,
            BigDecimal sampleRate,
            Instant startedAt,
            String startedBy,
            Instant resumedAt,
            Instant stoppedAt,
            String stoppedBy,
            long dropped) {}

    static final ObjectMapper RESULT_JSON = JsonMapper.builder()
            .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final RulesetLifecycle lifecycle;
    private final DecisionLog decisionLog;
    private final Clock clock;
    private final ShadowEvaluations evaluations;

    ShadowRuns(
            JdbcClient jdbc,
            PlatformTransactionManager transactions,
            RulesetLifecycle lifecycle,
            DecisionLog decisionLog,
            Clock clock,
            ShadowEvaluations evaluations) {
        this.jdbc = jdbc;
        this.transactions = new TransactionTemplate(transactions);
        this.lifecycle = lifecycle;
        this.decisionLog = decisionLog;
        this.clock = clock;
        this.evaluations = evaluations;
    }

    /**
     * Starts {@code version} as the challenger, or starts it again after a stop (its report continues).
     *
     * @throws ApiProblemException 404 for a version never stored, 409 for the live version or while another
     *     challenger runs (or this one already does), 422 for a version that has not passed validation and its
     *     scenarios
     */
    public ShadowReport start(String version, BigDecimal sampleRate, String actor) {
        StoredVersion stored = lifecycle
                .find(version)
                .orElseThrow(() -> problem(HttpStatus.NOT_FOUND, "Not found", "No stored ruleset version " + version));
        if (stored.status() == StoredVersion.Status.ACTIVE) {
            throw problem(
                    HttpStatus.CONFLICT,
                    "The live version",
                    version + " is the live version: a challenger is a candidate evaluated beside it");
        }
        if (!Boolean.TRUE.equals(stored.scenariosPassed())) {
            throw problem(
                    HttpStatus.UNPROCESSABLE_ENTITY,
                    "Not a candidate that could go live",
                    version
                            + (Boolean.FALSE.equals(stored.scenariosPassed())
                                    ? " failed its scenarios"
                                    : " has no record of passing validation and its scenarios")
                            + ": only a version that could be activated may shadow the live one");
        }
        Instant now = clock.instant();
        transactions.executeWithoutResult(status -> {
            int taken = jdbc.sql(
                            "UPDATE shadow_challenger SET ruleset_version = ? WHERE id = 1 AND ruleset_version IS NULL")
                    .param(version)
                    .update();
            if (taken == 0) {
                String running = challenger().orElse("another version");
                throw problem(
                        HttpStatus.CONFLICT,
                        "A challenger runs",
                        running.equals(version)
                                ? version + " runs as the challenger already; stop it first to change its sample rate"
                                : running + " runs as the challenger: one at a time, stop it first");
            }
            int resumed = jdbc.sql("UPDATE shadow_run SET status = 'RUNNING', sample_rate = ?, resumed_at = ?, "
                            + "stopped_at = NULL, stopped_by = NULL WHERE ruleset_version = ?")
                    .params(sampleRate, utc(now), version)
                    .update();
            if (resumed == 0) {
                jdbc.sql("INSERT INTO shadow_run (ruleset_version, status, sample_rate, started_at, started_by, "
                                + "resumed_at, dropped) VALUES (?, 'RUNNING', ?, ?, ?, ?, 0)")
                        .params(version, sampleRate, utc(now), actor, utc(now))
                        .update();
            }
        });
        log.info("Shadow evaluation of {} started by {} at sample rate {}", version, actor, sampleRate);
        evaluations.refresh();
        return report(find(version).orElseThrow());
    }

    /**
     * Stops the challenger {@code version}; its report stays. Stopping a stopped one changes nothing.
     *
     * @throws ApiProblemException 404 when {@code version} never ran as a challenger
     */
    public ShadowReport stop(String version, String actor) {
        find(version)
                .orElseThrow(
                        () -> problem(HttpStatus.NOT_FOUND, "Not found", version + " has never run as a challenger"));
        Instant now = clock.instant();
        boolean stopped = Boolean.TRUE.equals(transactions.execute(status -> {
            jdbc.sql("UPDATE shadow_challenger SET ruleset_version = NULL WHERE id = 1 AND ruleset_version = ?")
                    .param(version)
                    .update();
            return jdbc.sql("UPDATE shadow_run SET status = 'STOPPED', stopped_at = ?, stopped_by = ? "
                                    + "WHERE ruleset_version = ? AND status = 'RUNNING'")
                            .params(utc(now), actor, version)
                            .update()
                    > 0;
        }));
        if (stopped) {
            log.info("Shadow evaluation of {} stopped by {}", version, actor);
        }
        evaluations.refresh();
        return report(find(version).orElseThrow());
    }

    /** The version every instance evaluates as the challenger now, if any. */
    public Optional<String> challenger() {
        return Optional.ofNullable(jdbc.sql("SELECT ruleset_version FROM shadow_challenger WHERE id = 1")
                .query(String.class)
                .optional()
                .orElse(null));
    }

    Optional<Run> find(String version) {
        return jdbc.sql("SELECT ruleset_version, status, sample_rate, started_at, started_by, resumed_at, stopped_at, "
                        + "stopped_by, dropped FROM shadow_run WHERE ruleset_version = ?")
                .param(version)
                .query((rs, n) -> new Run(
                        rs.getString(1),
                        rs.getString(2),
                        DecisionMath.canonical(rs.getBigDecimal(3)),
                        instant(rs, 4),
                        rs.getString(5),
                        instant(rs, 6),
                        instant(rs, 7),
                        rs.getString(8),
                        rs.getLong(9)))
                .optional();
    }

    /** The report of a version's run, or empty when it never ran as a challenger. */
    public Optional<ShadowReport> report(String version) {
        return find(version).map(this::report);
    }

    private ShadowReport report(Run run) {
        String version = run.rulesetVersion();
        Object[] totals = jdbc.sql("SELECT COUNT(*), COALESCE(SUM(CASE WHEN changed THEN 1 ELSE 0 END), 0), "
                        + "COALESCE(SUM(CASE WHEN engine_error THEN 1 ELSE 0 END), 0), "
                        + "COALESCE(SUM(challenger_limit - live_limit), 0), MIN(challenger_limit - live_limit), "
                        + "MAX(challenger_limit - live_limit) FROM shadow_decision WHERE ruleset_version = ?")
                .param(version)
                .query((rs, n) -> new Object[] {
                    rs.getLong(1),
                    rs.getLong(2),
                    rs.getLong(3),
                    rs.getBigDecimal(4),
                    rs.getBigDecimal(5),
                    rs.getBigDecimal(6)
                })
                .single();
        Map<String, Long> transitions = new TreeMap<>();
        jdbc.sql("SELECT live_outcome, challenger_outcome, COUNT(*) FROM shadow_decision WHERE ruleset_version = ? "
                        + "GROUP BY live_outcome, challenger_outcome")
                .param(version)
                .query(rs -> {
                    transitions.put(rs.getString(1) + "->" + rs.getString(2), rs.getLong(3));
                });
        return new ShadowReport(
                version,
                run.status(),
                run.sampleRate(),
                run.startedAt(),
                run.startedBy(),
                run.resumedAt(),
                run.stoppedAt(),
                run.stoppedBy(),
                (Long) totals[0],
                (Long) totals[1],
                transitions,
                new ShadowReport.LimitDelta(
                        canonical((BigDecimal) totals[3]), canonical((BigDecimal) totals[4]), canonical((BigDecimal)
                                totals[5])),
                (Long) totals[2],
                run.dropped(),
                "/api/v1/rulesets/" + version + "/shadow/changes");
    }

    /**
     * The changed decisions of a version's run after the live decision {@code afterSeq}, in log order, at most
     * {@code limit}; with their customer ids only when {@code withCustomers} (an auditor reads them; the log opens
     * them, so an erased customer has none).
     */
    public List<ShadowChange> changes(String version, long afterSeq, int limit, boolean withCustomers) {
        List<ShadowChange> changes = jdbc.sql("SELECT decision_id, seq, decided_at, subject_ref, live_version, "
                        + "changed_fields, live_json, challenger_json FROM shadow_decision "
                        + "WHERE ruleset_version = ? AND changed = TRUE AND seq > ? "
                        // the index's columns: H2 then reads it in order rather than sorting what remains
                        + "ORDER BY ruleset_version, changed, seq LIMIT ?")
                .params(version, afterSeq, limit)
                .query((rs, n) -> new ShadowChange(
                        rs.getObject(1, UUID.class),
                        rs.getLong(2),
                        instant(rs, 3),
                        rs.getString(4), // the subject reference until the customer id is looked up below
                        rs.getString(5),
                        Arrays.asList(rs.getString(6).split(" ")),
                        fields(rs.getString(7)),
                        fields(rs.getString(8))))
                .list();
        Map<String, Optional<String>> customers = new HashMap<>();
        return changes.stream()
                .map(c -> new ShadowChange(
                        c.decisionId(),
                        c.seq(),
                        c.decidedAt(),
                        withCustomers && c.customerId() != null
                                ? customers
                                        .computeIfAbsent(c.customerId(), ref -> customerOf(c.decisionId()))
                                        .orElse(null)
                                : null,
                        c.liveRulesetVersion(),
                        c.changedFields(),
                        c.live(),
                        c.challenger()))
                .toList();
    }

    /** The customer of a logged decision as the log reads it: empty once their personal data is erased. */
    private Optional<String> customerOf(UUID decisionId) {
        return decisionLog.find(decisionId).map(LoggedDecision::record).map(r -> r.customerId());
    }

    private static Map<String, Object> fields(String json) {
        if (json == null) {
            return Map.of();
        }
        try {
            return RESULT_JSON.readValue(json, new TypeReference<LinkedHashMap<String, Object>>() {});
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a stored shadow result cannot be read", e);
        }
    }

    private static BigDecimal canonical(BigDecimal value) {
        return value == null ? null : DecisionMath.canonical(value);
    }

    private static ApiProblemException problem(HttpStatus status, String title, String detail) {
        return new ApiProblemException(
                status,
                status == HttpStatus.NOT_FOUND
                        ? ProblemTypes.NOT_FOUND
                        : status == HttpStatus.CONFLICT ? ProblemTypes.CONFLICT : ProblemTypes.CHALLENGER_REFUSED,
                title,
                detail);
    }

    private static OffsetDateTime utc(Instant at) {
        return at.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime at = rs.getObject(column, OffsetDateTime.class);
        return at == null ? null : at.toInstant();
    }
}
