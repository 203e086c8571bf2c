package io.termsgate.batch;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.termsgate.audit.AuditLogUnavailableException;
import io.termsgate.creditapplication.DecisionRequestReader;
import io.termsgate.decision.Assessments;
import io.termsgate.jobs.PartitionedJob;
import io.termsgate.web.ApiProblemException;
import io.termsgate.web.FieldError;
import io.termsgate.web.InvalidRequestException;
import io.termsgate.web.JsonBodies;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
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

    BatchJob(
            JdbcBatches batches,
            Assessments assessments,
            JsonBodies json,
            BatchProperties properties,
            Clock clock,
            ObjectMapper mapper) {
        this.mapper = mapper;
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

    @Override
    public boolean run(Partition chunk, String worker) {
        Instant now = clock.instant();
        if (!batches.claim(chunk, worker, now, now.plus(properties.lease()))) {
            return false;
        }
        String client = batches.find(chunk.job()).orElseThrow().client();
        Instant renewAt = now.plus(properties.lease().dividedBy(2));
        for (JdbcBatches.Line line : batches.undecided(chunk)) {
            if (Thread.currentThread().isInterrupted()) {
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
                    return true;
                }
                renewAt = at.plus(properties.lease().dividedBy(2));
            }
            Assessments.Assessed assessed;
            try {
                // checked when the file came in; read again here, by this instance's reader (a line stored by an
                // older version of the service is answered with its problem, never retried for ever)
                byte[] request = line.requestJson().getBytes(StandardCharsets.UTF_8);
                assessed = assessments.assess(
                        DecisionRequestReader.readRequest(json.parse(request)),
                        client,
                        idempotencyKey(chunk.job(), line.line()));
            } catch (AuditLogUnavailableException e) {
                log.warn(
                        "batch {}: the decision log cannot be reached; the chunk is tried again: {}",
                        chunk.job(),
                        e.getMessage());
                batches.release(chunk, worker);
                return true;
            } catch (InvalidRequestException e) {
                batches.decided(
                        chunk.job(), line.line(), null, BatchUploads.problemJson(mapper, line.line(), e.errors()));
                continue;
            } catch (ApiProblemException | IllegalArgumentException | IllegalStateException e) {
                String message = e instanceof ApiProblemException problem
                        ? problem.problem().getDetail()
                        : e.getMessage();
                batches.decided(
                        chunk.job(),
                        line.line(),
                        null,
                        BatchUploads.problemJson(mapper, line.line(), List.of(new FieldError(null, message))));
                continue;
            }
            String result = "{\"line\":" + line.line() + "," + assessed.json().substring(1);
            batches.decided(chunk.job(), line.line(), assessed.decisionId(), result);
        }
        if (Thread.currentThread().isInterrupted()) {
            return true;
        }
        batches.chunkDone(chunk, clock.instant().truncatedTo(ChronoUnit.MILLIS));
        return true;
    }
}
