package io.termsgate.shadow;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.termsgate.audit.DecisionRecord;
import io.termsgate.audit.LoggedDecision;
import io.termsgate.audit.Replays;
import io.termsgate.engine.CompiledRuleset;
import io.termsgate.jobs.BackgroundPace;
import io.termsgate.ruleset.CompiledRulesetCache;
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
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * This instance's part of shadow evaluation: live decisions handed over by checkout once they are logged are
 * sampled, put on a bounded queue (a full queue drops the decision and counts it: checkout never waits), and
 * evaluated by a few worker threads under the challenger, with the very request the live decision evaluated (the
 * order, and what the buyer's credit line showed) at its decision time, as an auditor's what-if replay would. The
 * challenger's answer is stored by the live decision's id and goes nowhere else: not to checkout, not to the credit
 * line.
 *
 * <p>Which challenger runs is the database's: each instance reads it every {@code termsgate.shadow.refresh-interval}
 * (and at once when it started or stopped it itself), and a row is stored only while its version is still the
 * challenger, so a stop holds for every instance as soon as it commits.
 */
@Component
class QueuedShadowEvaluations implements ShadowEvaluations, SmartInitializingSingleton, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(QueuedShadowEvaluations.class);

    /** The answer's fields whose change makes a decision count as changed: the fields a backtest compares. */
    static final List<String> ANSWER_FIELDS = Replays.ANSWER_FIELDS; // what a backtest compares too

    private static final int BATCH = 100;

    /** The challenger as this instance evaluates it. */
    private record Challenger(String version, double sampleRate, CompiledRuleset ruleset) {}

    /** A live decision waiting to be evaluated: what the live one read and answered. */
    private record Waiting(
            Challenger challenger,
            UUID decisionId,
            long seq,
            Instant decidedAt,
            String subjectRef,
            String liveVersion,
            String requestJson,
            String resultJson) {}

    private final JdbcClient jdbc;
    private final JdbcTemplate template;
    private final Function<String, Optional<CompiledRuleset>> rulesets;
    private final Clock clock;
    private final ShadowProperties properties;
    private final ArrayBlockingQueue<Waiting> queue;
    private final ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "shadow-refresh");
        thread.setDaemon(true);
        return thread;
    });
    private final List<Thread> workers = new ArrayList<>();
    private final Map<String, AtomicLong> droppedHere = new ConcurrentHashMap<>();
    private final AtomicInteger active = new AtomicInteger();
    private final MeterRegistry meters;
    private volatile Challenger current;
    private volatile boolean closed;
    private final BackgroundPace pace;

    @Autowired
    QueuedShadowEvaluations(
            JdbcClient jdbc,
            JdbcTemplate template,
            CompiledRulesetCache rulesets,
            Clock clock,
            ShadowProperties properties,
            MeterRegistry meters,
            BackgroundPace pace) {
        // an unapproved candidate runs in the sandbox, as in backtests
        this(jdbc, template, rulesets::forEvaluation, clock, properties, meters, pace);
    }

    /** @param rulesets a stored version's ruleset to evaluate under */
    QueuedShadowEvaluations(
            JdbcClient jdbc,
            JdbcTemplate template,
            Function<String, Optional<CompiledRuleset>> rulesets,
            Clock clock,
            ShadowProperties properties,
            MeterRegistry meters,
            BackgroundPace pace) {
        this.pace = pace;
        this.jdbc = jdbc;
        this.template = template;
        this.rulesets = rulesets;
        this.clock = clock;
        this.properties = properties;
        this.meters = meters;
        this.queue = new ArrayBlockingQueue<>(properties.queueCapacity());
        Gauge.builder("termsgate.shadow.queue", queue, ArrayBlockingQueue::size)
                .description("Live decisions waiting to be evaluated under the challenger on this instance")
                .register(meters);
        Gauge.builder("termsgate.shadow.active", active, AtomicInteger::get)
                .description("1 while this instance evaluates a challenger beside the live ruleset")
                .register(meters);
    }

    @Override
    public void afterSingletonsInstantiated() {
        for (int i = 0; i < properties.workers(); i++) {
            Thread worker = new Thread(this::work, "shadow-" + i);
            worker.setDaemon(true);
            worker.setPriority(Thread.MIN_PRIORITY); // checkout's threads come first
            worker.start();
            workers.add(worker);
        }
        long every = Math.max(1, properties.refreshInterval().toMillis());
        refresher.scheduleWithFixedDelay(this::refreshQuietly, 0, every, TimeUnit.MILLISECONDS);
    }

    @Override
    public void offer(LoggedDecision live) {
        Challenger challenger = current;
        if (challenger == null) {
            return;
        }
        DecisionRecord record = live.record();
        if (record.requestJson() == null
                || record.rulesetVersion().equals(challenger.version())
                || !sampled(record.decisionId(), challenger.sampleRate())) {
            return; // the challenger went live meanwhile: it would only compare with itself
        }
        Waiting waiting = new Waiting(
                challenger,
                record.decisionId(),
                live.seq(),
                record.decidedAt(),
                record.storedCustomerId(),
                record.rulesetVersion(),
                record.requestJson(),
                record.resultJson());
        if (!queue.offer(waiting)) {
            droppedHere
                    .computeIfAbsent(challenger.version(), v -> new AtomicLong())
                    .incrementAndGet();
            Counter.builder("termsgate.shadow.dropped")
                    .description("Sampled live decisions not evaluated under the challenger: the queue was full")
                    .tag("ruleset", challenger.version())
                    .register(meters)
                    .increment();
        }
    }

    /**
     * Whether a decision is in a sample of {@code rate}: a function of its id's random bits, so every instance
     * samples alike and a sample of 0.5 is a fixed half of the decisions.
     */
    static boolean sampled(UUID decisionId, double rate) {
        if (rate >= 1) {
            return true;
        }
        long bits = decisionId.getLeastSignificantBits() & ((1L << 53) - 1);
        return bits < (long) (rate * (1L << 53));
    }

    /** Reads the challenger from the database now (after a start or stop on this instance), and adds up drops. */
    @Override
    public void refresh() {
        String version = null;
        double rate = 0;
        var row = jdbc.sql("SELECT r.ruleset_version, r.sample_rate FROM shadow_challenger c "
                        + "JOIN shadow_run r ON r.ruleset_version = c.ruleset_version "
                        + "WHERE c.id = 1 AND r.status = 'RUNNING'")
                .query((rs, n) -> new Object[] {rs.getString(1), rs.getBigDecimal(2)})
                .optional();
        if (row.isPresent()) {
            version = (String) row.get()[0];
            rate = ((BigDecimal) row.get()[1]).doubleValue();
        }
        Challenger was = current;
        if (version == null) {
            current = null;
        } else if (was == null || !was.version().equals(version) || was.sampleRate() != rate) {
            CompiledRuleset ruleset = was != null && was.version().equals(version)
                    ? was.ruleset()
                    : rulesets.apply(version).orElse(null);
            current = ruleset == null ? null : new Challenger(version, rate, ruleset);
        }
        active.set(current == null ? 0 : 1);
        if ((was == null) != (current == null) || (was != null && !was.version().equals(current.version()))) {
            log.info(
                    "Shadow evaluation on this instance: {}",
                    current == null ? "none" : current.version() + " at sample rate " + current.sampleRate());
        }
        for (Map.Entry<String, AtomicLong> dropped : droppedHere.entrySet()) {
            long count = dropped.getValue().getAndSet(0);
            if (count > 0) {
                jdbc.sql("UPDATE shadow_run SET dropped = dropped + ? WHERE ruleset_version = ?")
                        .params(count, dropped.getKey())
                        .update();
            }
        }
    }

    private void refreshQuietly() {
        try {
            refresh();
        } catch (RuntimeException e) {
            log.warn("Shadow evaluation could not read the challenger: {}", e.getMessage());
        }
    }

    private void work() {
        List<Waiting> batch = new ArrayList<>(BATCH);
        while (!closed) {
            try {
                Waiting first = queue.poll(1, TimeUnit.SECONDS);
                if (first == null) {
                    continue;
                }
                batch.clear();
                batch.add(first);
                queue.drainTo(batch, BATCH - 1);
                store(batch);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.warn("Shadow evaluation of {} decisions failed: {}", batch.size(), e.toString());
            }
        }
    }

    /**
     * Each waiting decision compared with its challenger's answer, in the batch's order; those of one challenger are
     * asked of it at once (one exchange with a candidate in the sandbox instead of a round trip each), within the duty
     * cycle: a slow challenger fills the queue (drops, counted), it never slows checkout.
     */
    private List<Replays.Comparison> compareAll(List<Waiting> batch) {
        Map<CompiledRuleset, List<Integer>> byChallenger = new java.util.IdentityHashMap<>();
        for (int i = 0; i < batch.size(); i++) {
            byChallenger
                    .computeIfAbsent(batch.get(i).challenger().ruleset(), r -> new ArrayList<>())
                    .add(i);
        }
        Replays.Comparison[] comparisons = new Replays.Comparison[batch.size()];
        byChallenger.forEach((ruleset, indexes) -> {
            pace.checkpoint();
            List<Replays.Logged> logged = indexes.stream()
                    .map(batch::get)
                    .map(w -> new Replays.Logged(w.requestJson(), w.resultJson(), w.decidedAt()))
                    .toList();
            List<Replays.Comparison> compared = pace.charging(() -> Replays.compareAll(logged, ruleset));
            for (int k = 0; k < indexes.size(); k++) {
                comparisons[indexes.get(k)] = compared.get(k);
            }
        });
        return List.of(comparisons);
    }

    /** Evaluates each under its challenger and stores the rows whose challenger still runs. */
    private void store(List<Waiting> batch) {
        OffsetDateTime now = clock.instant().atOffset(ZoneOffset.UTC);
        List<Object[]> rows = new ArrayList<>(batch.size());
        List<Replays.Comparison> comparisons = compareAll(batch);
        for (int i = 0; i < batch.size(); i++) {
            Waiting w = batch.get(i);
            Replays.Comparison comparison = comparisons.get(i);
            List<String> changed = comparison.differences().stream()
                    .map(Replays.Difference::field)
                    .filter(ANSWER_FIELDS::contains)
                    .toList();
            Map<String, Object> live = comparison.original();
            Map<String, Object> challenger = comparison.replayed();
            if (!changed.isEmpty()) {
                Counter.builder("termsgate.shadow.mismatches")
                        .description("Live decisions the challenger would have answered differently")
                        .tag("ruleset", w.challenger().version())
                        .register(meters)
                        .increment();
            }
            rows.add(new Object[] {
                w.challenger().version(),
                w.decisionId(),
                w.seq(),
                w.decidedAt().atOffset(ZoneOffset.UTC),
                w.subjectRef(),
                w.liveVersion(),
                String.valueOf(live.get("outcome")),
                String.valueOf(challenger.get("outcome")),
                amount(live.get("creditLimit")),
                amount(challenger.get("creditLimit")),
                !changed.isEmpty(),
                String.join(" ", changed),
                comparison.evaluation().engineError(),
                changed.isEmpty() ? null : json(live),
                changed.isEmpty() ? null : json(challenger),
                now,
                w.challenger().version()
            });
        }
        // only while the version is still the challenger: a stop holds as soon as it commits
        template.batchUpdate(
                "INSERT INTO shadow_decision (ruleset_version, decision_id, seq, decided_at, subject_ref, live_version, "
                        + "live_outcome, challenger_outcome, live_limit, challenger_limit, changed, changed_fields, "
                        + "engine_error, live_json, challenger_json, evaluated_at) "
                        + "SELECT ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ? FROM shadow_challenger "
                        + "WHERE id = 1 AND ruleset_version = ?",
                rows);
    }

    private static BigDecimal amount(Object value) {
        return value instanceof BigDecimal number ? number : BigDecimal.ZERO;
    }

    private static String json(Map<String, Object> fields) {
        try {
            return ShadowRuns.RESULT_JSON.writeValueAsString(fields);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void destroy() {
        closed = true;
        refresher.shutdownNow();
        workers.forEach(Thread::interrupt);
    }
}
