package io.termsgate.batch;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.termsgate.audit.AuditLogUnavailableException;
import io.termsgate.creditapplication.DecisionRequestReader;
import io.termsgate.decision.Assessments;
import io.termsgate.jobs.BackgroundPace;
import io.termsgate.jobs.PartitionedJob;
import io.termsgate.web.ApiProblemException;
import io.termsgate.web.FieldError;
import io.termsgate.web.InvalidRequestException;
import io.termsgate.web.JsonBodies;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Decides batches, a chunk of lines at a time, on whichever instance claims the chunk. Each line is decided through
 * {@link Assessments} with the Idempotency-Key {@code batch:<batch id>:<line>} under the batch's client: the log lets
 * one decision per key in, so a line whose decision was logged before a crash (but whose result was not stored) gets
 * that same decision back when its chunk runs again, and is never decided twice.
 *
 * <p>A worker keeps {@code termsgate.batch.lines-in-flight} lines in flight: decided, submitted to the log's group
 * commit, not yet confirmed. The log commits them together (one transaction, one chain-head update, one flush for
 * many lines) and a line's result is stored only after its decision is committed. A crash in between leaves lines
 * whose decision is logged and whose result is not: the key finds their decision when the chunk runs again.
 */
@Component
class BatchJob implements PartitionedJob {

    private static final Logger log = LoggerFactory.getLogger(BatchJob.class);

    private final JdbcBatches batches;
    private final Assessments assessments;
    private final JsonBodies json;
    private final BatchProperties properties;
    private final Clock clock;
    private final ObjectMapper mapper;
    private final BackgroundPace pace;

    BatchJob(
            JdbcBatches batches,
            Assessments assessments,
            JsonBodies json,
            BatchProperties properties,
            Clock clock,
            ObjectMapper mapper,
            BackgroundPace pace) {
        this.mapper = mapper;
        this.pace = pace;
        this.batches = batches;
        this.assessments = assessments;
        this.json = json;
        this.properties = properties;
        this.clock = clock;
    }

    /** The Idempotency-Key a batch's line is decided with: it marks the decision in the log with its batch. */
    static String idempotencyKey(UUID batch, long line) {
        return "batch:" + batch + ":" + line;
    }

    @Override
    public List<Partition> ready(int limit) {
        return batches.ready(clock.instant(), limit);
    }

    /** A line decided and on its way to the log, or answered already (a bad line's problem). */
    private record InFlight(long line, Assessments.Pending pending, JdbcBatches.Result answered) {}

    @Override
    public boolean run(Partition chunk, String worker) {
        Instant now = clock.instant();
        if (!batches.claim(chunk, worker, now, now.plus(properties.lease()))) {
            return false;
        }
        String client = batches.find(chunk.job()).orElseThrow().client();
        Instant renewAt = now.plus(properties.lease().dividedBy(2));
        // lines in flight: each is decided on this thread and submitted to the log's next group commit without
        // waiting for it, so one commit carries many lines; a line's result is stored only once its decision is
        // committed (join), in input order, a group of results in one transaction
        Deque<InFlight> inFlight = new ArrayDeque<>();
        pace.begin();
        List<JdbcBatches.Result> toStore = new ArrayList<>();
        int window = properties.linesInFlight();
        try {
            for (JdbcBatches.Line line : batches.undecided(chunk)) {
                if (Thread.currentThread().isInterrupted()) {
                    storeFinished(chunk, inFlight, toStore);
                    return true; // shutting down: the claim runs out and the rest of the chunk is decided later
                }
                Instant at = clock.instant();
                if (at.isAfter(renewAt)) {
                    if (!batches.renew(chunk, worker, at.plus(properties.lease()))) {
                        log.warn(
                                "batch {} lines {}-{}: the claim was lost; another worker goes on",
                                chunk.job(),
                                chunk.first(),
                                chunk.last());
                        storeFinished(chunk, inFlight, toStore);
                        return true;
                    }
                    renewAt = at.plus(properties.lease().dividedBy(2));
                }
                // polite: while checkout is being served, a line at a time within the duty cycle
                pace.checkpoint();
                inFlight.add(submit(chunk, client, line));
                while (inFlight.size() >= window) {
                    toStore.add(answer(inFlight.removeFirst()));
                }
                if (toStore.size() >= window) {
                    // the database's time storing them counts in the duty cycle
                    pace.charging(() -> batches.decided(chunk.job(), toStore));
                    toStore.clear();
                }
            }
            while (!inFlight.isEmpty()) {
                toStore.add(answer(inFlight.removeFirst()));
            }
            batches.decided(chunk.job(), toStore);
        } catch (AuditLogUnavailableException e) {
            log.warn(
                    "batch {}: the decision log cannot be reached; the chunk is tried again: {}",
                    chunk.job(),
                    e.getMessage());
            // what was logged before the failure keeps its result; the rest finds its decision, if any, when the chunk
            // runs again (its Idempotency-Key)
            storeFinished(chunk, inFlight, toStore);
            batches.release(chunk, worker);
            return true;
        }
        if (Thread.currentThread().isInterrupted()) {
            return true;
        }
        batches.chunkDone(chunk, clock.instant().truncatedTo(ChronoUnit.MILLIS));
        return true;
    }

    /** Decides a line and submits it to the log; a line that is no request is answered with its problem at once. */
    private InFlight submit(Partition chunk, String client, JdbcBatches.Line line) {
        try {
            // checked when the file came in; read again here, by this instance's reader (a line stored by an older
            // version of the service is answered with its problem, never retried for ever)
            byte[] request = line.requestJson().getBytes(StandardCharsets.UTF_8);
            return new InFlight(
                    line.line(),
                    assessments.assessLater(
                            DecisionRequestReader.readRequest(json.parse(request)),
                            client,
                            idempotencyKey(chunk.job(), line.line())),
                    null);
        } catch (InvalidRequestException e) {
            return new InFlight(line.line(), null, problem(line.line(), e.errors()));
        } catch (ApiProblemException | IllegalArgumentException | IllegalStateException e) {
            return new InFlight(line.line(), null, problem(line.line(), e));
        }
    }

    /**
     * Waits for a line's decision to be committed to the log, and answers its result.
     *
     * @throws AuditLogUnavailableException when it could not be logged
     */
    private JdbcBatches.Result answer(InFlight line) {
        if (line.answered() != null) {
            return line.answered();
        }
        try {
            Assessments.Assessed assessed = line.pending().join();
            return new JdbcBatches.Result(
                    line.line(),
                    assessed.decisionId(),
                    "{\"line\":" + line.line() + "," + assessed.json().substring(1));
        } catch (IllegalStateException e) {
            return problem(line.line(), e);
        }
    }

    /** On the way out (interrupted, claim lost, log down): stores the results that are ready, waits for none. */
    private void storeFinished(Partition chunk, Deque<InFlight> inFlight, List<JdbcBatches.Result> toStore) {
        boolean interrupted = Thread.interrupted(); // the results' transaction must not see the flag
        try {
            for (InFlight line : inFlight) {
                if (line.answered() != null || line.pending().isDone()) {
                    try {
                        toStore.add(answer(line));
                    } catch (AuditLogUnavailableException e) {
                        // not logged: decided when the chunk runs again
                    }
                }
            }
            batches.decided(chunk.job(), toStore);
        } catch (RuntimeException e) {
            log.warn(
                    "batch {}: results not stored; their lines find their decisions when the chunk runs again: {}",
                    chunk.job(),
                    e.toString());
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private JdbcBatches.Result problem(long line, List<FieldError> errors) {
        return new JdbcBatches.Result(line, null, BatchUploads.problemJson(mapper, line, errors));
    }

    private JdbcBatches.Result problem(long line, RuntimeException e) {
        String message =
                e instanceof ApiProblemException problem ? problem.problem().getDetail() : e.getMessage();
        return problem(line, List.of(new FieldError(null, message)));
    }
}
