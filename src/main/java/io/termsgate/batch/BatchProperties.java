package io.termsgate.batch;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Batch decisions ({@code POST /api/v1/batches}); how many threads decide them is {@code termsgate.jobs.threads}.
 *
 * @param chunkLines how many lines one worker claims and decides at a time
 * @param lease how long a claim on a chunk lasts without its worker renewing it (it renews while it decides): the
 *     time after which another instance, or this one restarted, takes over a chunk whose worker died
 * @param maxLines the most lines one batch file may hold (its bytes: {@code termsgate.http.max-batch-body})
 * @param linesInFlight how many of a chunk's lines one worker has decided and waiting for the decision log's commit at
 *     once: they join the log's group commits together instead of one commit per line (more fills the commits and
 *     raises throughput; fewer keeps the commits that checkout's decisions share with them small)
 */
@Validated
@ConfigurationProperties("termsgate.batch")
record BatchProperties(
        @DefaultValue("500") @Min(1) @Max(100_000) int chunkLines,
        @DefaultValue("2m") Duration lease,
        @DefaultValue("10000000") @Min(1) long maxLines,
        @DefaultValue("64") @Min(1) @Max(10_000) int linesInFlight) {}
