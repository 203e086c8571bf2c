package io.termsgate.backtest;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.termsgate.audit.DecisionLog;
import io.termsgate.audit.PersonalData;
import io.termsgate.audit.Replays;
import io.termsgate.engine.CompiledRuleset;
import io.termsgate.jobs.BackgroundPace;
import io.termsgate.jobs.JobProperties;
import io.termsgate.ruleset.CompiledRulesetCache;
import io.termsgate.ruleset.RulesetLifecycle;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.TransactionException;

/**
 * Backtests: replay the logged decisions of a window under a candidate ruleset, in the background on
 * {@code termsgate.jobs.threads} threads at a low priority, a page of the log at a time, and report what would have
 * changed. The pages flow through a pipeline: while one replays, the changed decisions of the one before are written
 * to {@code backtest_changed} and the one after is read, each a task of the same pool, so the replays use the time a
 * thread waits for the database and no more threads than allowed are ever busy. At most three pages are held; beyond
 * them only the sums and the changed decisions the report lists stay in memory, so a backtest's memory does not grow
 * with its window or its changes. Progress, reports and changed decisions live in the database, so any instance can
 * answer.
 */
@Service
@EnableConfigurationProperties(BacktestProperties.class)
public class BacktestRunner implements DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(BacktestRunner.class);

    /** A backtest as the API shows it: where it stands, and its report once done. */
    public record Backtest(
            UUID id,
            String rulesetVersion,
            Instant from,
            Instant to,
            String status,
            long total,
            long done,
            double progress,
            Long changed,
            String requestedBy,
            Instant requestedAt,
            Instant finishedAt,
            String error) {}

    private final DecisionLog decisionLog;
    private final CompiledRulesetCache rulesets;
    private final RulesetLifecycle lifecycle;
    private final JdbcClient jdbc;
    private final Clock clock;
    // the settings of the log's canonical JSON (plain decimals, ISO times), which stored reports were written with
    static final ObjectMapper REPORT_JSON = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.INDENT_OUTPUT)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .build();
    private final ObjectMapper json = REPORT_JSON;
    private final ExecutorService jobs = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "backtests");
        thread.setDaemon(true);
        thread.setPriority(Thread.MIN_PRIORITY);
        return thread;
    });
    private final JdbcBacktestChanges changes;
    private final BacktestProperties properties;
    private final BackgroundPace pace;
    // replays run on termsgate.jobs.threads threads, not every core: checkout keeps the rest
    private final ForkJoinPool workers;
    private final AtomicLong replayedInProgress = new AtomicLong();
    private final AtomicLong totalInProgress = new AtomicLong();

    public BacktestRunner(
            DecisionLog decisionLog,
            CompiledRulesetCache rulesets,
            RulesetLifecycle lifecycle,
            JdbcClient jdbc,
            Clock clock,
            MeterRegistry meters,
            JobProperties jobs,
            JdbcBacktestChanges changes,
            BacktestProperties properties,
            BackgroundPace pace) {
        this.changes = changes;
        this.pace = pace;
        this.properties = properties;
        // a polite pool: its threads run at the lowest priority (where the OS honours it, docs/operations.md)
        this.workers = new ForkJoinPool(
                Math.max(1, jobs.threads()),
                pool -> {
                    ForkJoinWorkerThread thread = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pool);
                    thread.setName("backtest-replay-" + thread.getPoolIndex());
                    thread.setPriority(Thread.MIN_PRIORITY);
                    return thread;
                },
                null,
                false);
        this.decisionLog = decisionLog;
        this.rulesets = rulesets;
        this.lifecycle = lifecycle;
        this.jdbc = jdbc;
        this.clock = clock;
        Gauge.builder("termsgate.backtest.replayed", replayedInProgress, AtomicLong::get)
                .description("Decisions replayed by the running backtest")
                .register(meters);
        Gauge.builder("termsgate.backtest.total", totalInProgress, AtomicLong::get)
                .description("Decisions the running backtest will replay")
                .register(meters);
    }

    /** Starts a backtest of {@code version} over decisions made in [from, to); empty when no such version. */
    public Optional<Backtest> start(String version, Instant from, Instant to, String actor) {
        if (!lifecycle.exists(version)) {
            return Optional.empty();
        }
        UUID id = UUID.randomUUID();
        long total = decisionLog.count(new DecisionLog.DecisionQuery(null, from, to, null, null));
        Instant now = clock.instant();
        jdbc.sql(
                        "INSERT INTO backtest (id, ruleset_version, window_from, window_to, status, total, done, requested_by, "
                                + "requested_at, updated_at) VALUES (?, ?, ?, ?, 'RUNNING', ?, 0, ?, ?, ?)")
                .params(id, version, utc(from), utc(to), total, actor, utc(now), utc(now))
                .update();
        jobs.execute(() -> run(id, version, from, to));
        log.info("Backtest {} of {} over [{}, {}) started by {}: {} decisions", id, version, from, to, actor, total);
        return find(id);
    }

    public Optional<Backtest> find(UUID id) {
        return jdbc.sql(
                        "SELECT id, ruleset_version, window_from, window_to, status, total, done, changed, requested_by, "
                                + "requested_at, updated_at, finished_at, error FROM backtest WHERE id = ?")
                .param(id)
                .query((rs, n) -> {
                    long total = rs.getLong("total");
                    long done = rs.getLong("done");
                    String status = rs.getString("status");
                    Instant updated = instant(rs.getObject("updated_at", OffsetDateTime.class));
                    String error = rs.getString("error");
                    if (status.equals("RUNNING")
                            && updated.isBefore(clock.instant().minusSeconds(300))) {
                        status = "ABANDONED"; // its instance stopped while running it
                        error = "no progress for five minutes: the instance running it stopped; start it again";
                    }
                    return new Backtest(
                            rs.getObject("id", UUID.class),
                            rs.getString("ruleset_version"),
                            instant(rs.getObject("window_from", OffsetDateTime.class)),
                            instant(rs.getObject("window_to", OffsetDateTime.class)),
                            status,
                            total,
                            done,
                            total == 0 ? 1.0 : (double) done / total,
                            (Long) rs.getObject("changed"),
                            rs.getString("requested_by"),
                            instant(rs.getObject("requested_at", OffsetDateTime.class)),
                            instant(rs.getObject("finished_at", OffsetDateTime.class)),
                            error);
                })
                .optional();
    }

    /** The backtests of a version, newest first (at most 50). */
    public List<Backtest> ofVersion(String version) {
        return jdbc
                .sql("SELECT id FROM backtest WHERE ruleset_version = ? ORDER BY requested_at DESC LIMIT 50")
                .param(version)
                .query(UUID.class)
                .list()
                .stream()
                .map(this::find)
                .flatMap(Optional::stream)
                .toList();
    }

    /** The finished report, as stored. */
    public Optional<BacktestReport> report(UUID id) {
        return jdbc.sql("SELECT report_json FROM backtest WHERE id = ? AND status = 'DONE'")
                .param(id)
                .query(String.class)
                .optional()
                .map(text -> {
                    try {
                        return json.readValue(text, BacktestReport.class);
                    } catch (JsonProcessingException e) {
                        throw new IllegalStateException(e);
                    }
                });
    }

    private void run(UUID id, String version, Instant from, Instant to) {
        long start = System.nanoTime();
        try {
            CompiledRuleset candidate = rulesets.forEvaluation(version).orElseThrow();
            BacktestReport.Tally tally = new BacktestReport.Tally(properties.listed());
            long done = 0;
            replayedInProgress.set(0);
            totalInProgress.set(jdbc.sql("SELECT total FROM backtest WHERE id = ?")
                    .param(id)
                    .query(Long.class)
                    .single());
            // a pipeline of pages: while one page replays, the page before it is stored and the page after it read,
            // all as tasks of the workers' pool, so a backtest never keeps more threads busy than it may
            AtomicBoolean abandoned = new AtomicBoolean();
            List<DecisionLog.Replayable> page =
                    workers.submit(() -> readPage(from, to, 0)).get();
            Replayed unstored = null;
            List<ForkJoinTask<?>> inFlight = new java.util.ArrayList<>(3);
            try {
                while (!page.isEmpty()) {
                    List<DecisionLog.Replayable> current = page;
                    Replayed previous = unstored;
                    ForkJoinTask<BacktestReport.Tally> replaying =
                            workers.submit(() -> replayPage(current, candidate, abandoned));
                    long stored = done;
                    ForkJoinTask<Long> storing =
                            workers.submit(() -> previous == null ? stored : store(id, previous, tally, stored));
                    ForkJoinTask<List<DecisionLog.Replayable>> reading = workers.submit(() ->
                            readPage(from, to, current.get(current.size() - 1).seq()));
                    inFlight.clear();
                    inFlight.addAll(List.of(replaying, storing, reading));
                    done = storing.get();
                    page = reading.get();
                    unstored = new Replayed(replaying.get(), current.size());
                }
                if (unstored != null) {
                    Replayed last = unstored;
                    long stored = done;
                    done = workers.submit(() -> store(id, last, tally, stored)).get();
                }
            } finally {
                abandoned.set(true); // a read or a write failed: the page still replaying stops at its next decision
                // and nothing of this backtest runs on once it is over: a page's rows are never written after it is
                // marked FAILED and its rows removed (an interrupt at shutdown leaves the store task running)
                inFlight.forEach(ForkJoinTask::quietlyJoin);
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            BacktestReport report = tally.report(id, version, from, to, millis);
            // a customer erased while this ran keeps no id here (BacktestErasure may have run before their rows were
            // written): every customer the stored changes name is checked once
            String last = "";
            for (List<String> customers = changes.customers(id, last);
                    !customers.isEmpty();
                    customers = changes.customers(id, last)) {
                for (String customer : customers) {
                    if (!decisionLog.holdsPersonalDataOf(customer)) {
                        changes.eraseCustomer(id, customer);
                        report = report.withoutCustomer(customer);
                    }
                }
                last = customers.get(customers.size() - 1);
            }
            jdbc.sql("UPDATE backtest SET status = 'DONE', done = ?, total = ?, changed = ?, finished_at = ?, "
                            + "updated_at = ?, report_json = ? WHERE id = ?")
                    .params(
                            done,
                            done,
                            report.changed(),
                            utc(clock.instant()),
                            utc(clock.instant()),
                            json.writeValueAsString(report),
                            id)
                    .update();
            log.info(
                    "Backtest {} done: {} decisions replayed in {} ms ({} /s), {} changed",
                    id,
                    done,
                    millis,
                    Math.round(report.decisionsPerSecond()),
                    report.changed());
        } catch (Exception | Error e) {
            String reference = UUID.randomUUID().toString().substring(0, 8);
            log.error("Backtest {} failed [reference {}]", id, reference, e);
            try {
                jdbc.sql("UPDATE backtest SET status = 'FAILED', error = ?, finished_at = ?, updated_at = ? "
                                + "WHERE id = ?")
                        .params(reason(failureOf(e), reference), utc(clock.instant()), utc(clock.instant()), id)
                        .update();
            } catch (RuntimeException unrecorded) {
                // the backtest shows as ABANDONED once its updates stop (find); the failure itself is logged above
                log.error("Backtest {} failed and could not be marked FAILED", id, unrecorded);
            }
            try {
                // what the pages before the failure stored: never read (only a DONE backtest's rows are), and they
                // name customers
                changes.delete(id);
            } catch (RuntimeException kept) {
                log.error("Backtest {} failed; its stored changed decisions could not be removed", id, kept);
            }
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt(); // restored only now: an interrupted thread's H2 file would close
            }
            if (e instanceof VirtualMachineError fatal) {
                throw fatal; // to the thread's handler: this runs by execute, not submit, so it is not swallowed
            }
        } finally {
            replayedInProgress.set(0);
            totalInProgress.set(0);
        }
    }

    /**
     * The reason an analyst reads for a failed backtest: the kind of failure and the reference of the whole failure in
     * the service log, never an exception's message. Messages can hold SQL, row data, customer ids (or their
     * lookups), stored JSON and internal names, whoever wrote them; the log keeps them for the operator.
     */
    static String reason(Throwable failure, String reference) {
        String kind;
        if (failure instanceof DataAccessException
                || failure instanceof TransactionException
                || failure instanceof java.sql.SQLException) {
            kind = "a read or write of the database failed";
        } else if (failure instanceof InterruptedException) {
            kind = "the service stopped while it ran";
        } else if (failure instanceof OutOfMemoryError) {
            kind = "the service ran out of memory";
        } else if (failure instanceof PersonalData.DoesNotOpen) {
            kind = "a decision in the log could not be read (personal data that does not open: altered, or sealed "
                    + "under another master key)";
        } else {
            kind = "an internal error";
        }
        return kind + " (reference " + reference + " in the service log)";
    }

    /**
     * What failed, not the pool's wrapper around it. A task's failure thrown on a worker reaches this thread through
     * {@link ForkJoinTask#get} as a copy made here: of the same class, with the original as its cause and, for classes
     * built from a cause, the original's class name and message as its message; the original is what failed.
     */
    static Throwable failureOf(Throwable e) {
        Throwable failure = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        // copied once by each pool it crossed (a page's parallel stream inside the pool's task)
        for (Throwable original = failure.getCause();
                original != null
                        && original != failure
                        && original.getClass() == failure.getClass()
                        && (failure.getMessage() == null || failure.getMessage().equals(original.toString()));
                original = failure.getCause()) {
            failure = original;
        }
        return failure;
    }

    /** A replayed page: its tally, every changed decision of it kept, and how many decisions it held. */
    private record Replayed(BacktestReport.Tally tally, int decisions) {}

    /** The page of the window after {@code afterSeq}; this thread's wait for the database counts in its duty cycle. */
    private List<DecisionLog.Replayable> readPage(Instant from, Instant to, long afterSeq) {
        return pace.charging(() -> decisionLog.replayable(from, to, afterSeq, properties.page()));
    }

    /**
     * How many decisions of a page are replayed together: one question to the candidate for all of them (one exchange
     * with a sandboxed candidate instead of a round trip each), one duty-cycle checkpoint.
     */
    static final int CHUNK = 64;

    /** Replays a page on the workers, a chunk at a time within the duty cycle; stops when the backtest is abandoned. */
    private BacktestReport.Tally replayPage(
            List<DecisionLog.Replayable> page, CompiledRuleset candidate, AtomicBoolean abandoned) {
        List<List<DecisionLog.Replayable>> chunks = java.util.stream.IntStream.range(
                        0, (page.size() + CHUNK - 1) / CHUNK)
                .mapToObj(i -> page.subList(i * CHUNK, Math.min(page.size(), (i + 1) * CHUNK)))
                .toList();
        return chunks.parallelStream()
                .collect(
                        BacktestReport.Tally::ofPage,
                        (tally, chunk) -> {
                            if (abandoned.get()) {
                                throw new CancellationException("the backtest failed");
                            }
                            // polite: while checkout is being served, within the duty cycle
                            pace.checkpoint();
                            replay(chunk, candidate, tally);
                        },
                        BacktestReport.Tally::merge);
    }

    /**
     * Replays logged decisions under the candidate, asked all at once, and adds what changed to the tally. The time
     * this thread waits for a candidate evaluated elsewhere (in the sandbox's worker, on these cores) counts as work.
     */
    private void replay(List<DecisionLog.Replayable> logged, CompiledRuleset candidate, BacktestReport.Tally tally) {
        List<DecisionLog.Replayable> replayable = new ArrayList<>(logged.size());
        List<Replays.Logged> stored = new ArrayList<>(logged.size());
        for (DecisionLog.Replayable decision : logged) {
            if (decision.erased()) { // its request is gone with its customer's key: nothing to replay
                tally.erased++;
                continue;
            }
            replayable.add(decision);
            stored.add(new Replays.Logged(decision.requestJson(), decision.resultJson(), decision.decidedAt()));
        }
        List<Replays.Comparison> comparisons = pace.charging(() -> Replays.compareAll(stored, candidate));
        for (int i = 0; i < replayable.size(); i++) {
            tally(replayable.get(i), comparisons.get(i), tally);
        }
    }

    /**
     * Writes a replayed page's changed decisions to the database, then counts the page as done (progress shows only
     * decisions whose changes are stored); the backtest's tally keeps only the changed decisions its report lists.
     */
    private long store(UUID id, Replayed page, BacktestReport.Tally tally, long done) {
        pace.charging(() -> changes.insert(id, page.tally().changedDecisions));
        tally.merge(page.tally());
        long nowDone = done + page.decisions();
        replayedInProgress.set(nowDone);
        jdbc.sql("UPDATE backtest SET done = ?, total = GREATEST(total, ?), updated_at = ? WHERE id = ?")
                .params(nowDone, nowDone, utc(clock.instant()), id)
                .update();
        pace.checkpoint();
        return nowDone;
    }

    /** A page of a finished backtest's changed decisions, by seq, as stored (customer ids included). */
    public List<BacktestReport.ChangedDecision> changed(UUID id, int page, int size) {
        return changes.page(id, (long) page * size, size);
    }

    /**
     * Every changed decision of a finished backtest, by seq, without holding them all: from the database, or, for a
     * report written before changed decisions were stored apart, the ones its report lists.
     */
    public void forEachChanged(UUID id, BacktestReport report, Consumer<BacktestReport.ChangedDecision> each) {
        if (report.changed() > 0 && changes.page(id, 0, 1).isEmpty()) {
            report.changedDecisions().forEach(each);
            return;
        }
        changes.forEach(id, each);
    }

    /** The result fields whose change makes a decision count as changed (grade and score are tallied apart). */
    static final List<String> CHANGE_FIELDS = Replays.ANSWER_FIELDS;

    /** Adds a replayed decision's comparison (the auditors' comparison) to the tally. */
    private static void tally(
            DecisionLog.Replayable logged, Replays.Comparison comparison, BacktestReport.Tally tally) {
        Map<String, Object> original = comparison.original();
        Map<String, Object> replayed = comparison.replayed();

        tally.total++;
        if (comparison.evaluation().engineError()) {
            tally.engineErrors++;
        }
        tally.transitions.merge(original.get("outcome") + "->" + replayed.get("outcome"), 1L, Long::sum);
        tally.routeTransitions.merge(
                original.get("approvalRoute") + "->" + replayed.get("approvalRoute"), 1L, Long::sum);
        tally.creditLimit.add((BigDecimal) original.get("creditLimit"), (BigDecimal) replayed.get("creditLimit"));
        tally.availableCredit.add(
                (BigDecimal) original.get("availableCredit"), (BigDecimal) replayed.get("availableCredit"));
        tally.termDays.add((BigDecimal) original.get("termDays"), (BigDecimal) replayed.get("termDays"));
        if (comparison.differs("riskGrade")) {
            tally.gradeChanged++;
        }
        List<String> changedFields = comparison.differences().stream()
                .map(Replays.Difference::field)
                .filter(CHANGE_FIELDS::contains)
                .toList();
        if (changedFields.contains("reasons")) {
            tally.reasonsChanged++;
        }
        if (!changedFields.isEmpty()) {
            tally.changed(new BacktestReport.ChangedDecision(
                    logged.decisionId(),
                    logged.seq(),
                    logged.customerId(),
                    logged.decidedAt(),
                    logged.rulesetVersion(),
                    original,
                    replayed,
                    changedFields));
        }
    }

    @Override
    public void destroy() {
        jobs.shutdownNow();
        workers.shutdownNow();
    }

    private static OffsetDateTime utc(Instant at) {
        return at == null ? null : at.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(OffsetDateTime at) {
        return at == null ? null : at.toInstant();
    }

    private static String truncate(String text) {
        return text.length() <= 2000 ? text : text.substring(0, 2000);
    }
}
