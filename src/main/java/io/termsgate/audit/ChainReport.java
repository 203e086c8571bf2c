package io.termsgate.audit;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.UUID;

/**
 * What a walk of the hash chain found over a window of decision times.
 *
 * @param checked how many records were verified
 * @param firstSeq the first record checked, or null when none
 * @param lastSeq the last record checked, or null when none
 * @param firstBrokenLink null when every link holds
 * @param checkpointsChecked how many signed checkpoints the chain was found to pass through
 * @param checkpointProblem null when every checkpoint file verifies and the chain passes through every checkpoint
 * @param accessLog the walk of the access log's own chain (who looked), null when it was not walked
 * @param archivedThroughSeq when the log's oldest records were archived after their retention (deleted by the owner
 *     up to a signed checkpoint): that checkpoint's seq, where the walk started from; null when nothing was archived
 */
@Schema(name = "ChainReport")
public record ChainReport(
        Instant from,
        Instant to,
        long checked,
        Long firstSeq,
        Long lastSeq,
        boolean valid,
        BrokenLink firstBrokenLink,
        int checkpointsChecked,
        CheckpointProblem checkpointProblem,
        AccessLogReport accessLog,

        @Schema(
                nullable = true,
                description = "records 1 to this seq were archived after their retention; the walk started"
                        + " from the signed checkpoint at this seq")
        Long archivedThroughSeq) {

    /** A walk of the chain alone, before the checkpoints are looked at. */
    ChainReport(Instant from, Instant to, long checked, Long firstSeq, Long lastSeq, boolean valid, BrokenLink broken) {
        this(from, to, checked, firstSeq, lastSeq, valid, broken, 0, null, null, null);
    }

    /** This report with the walk of the access log's chain: invalid if that chain is broken. */
    ChainReport withAccessLog(ChainWalk.Result walked) {
        return new ChainReport(
                from,
                to,
                checked,
                firstSeq,
                lastSeq,
                valid && walked.valid(),
                firstBrokenLink,
                checkpointsChecked,
                checkpointProblem,
                new AccessLogReport(walked.valid(), walked.checked(), walked.firstInvalidSeq(), walked.problem()),
                archivedThroughSeq);
    }

    /** This report with what the checkpoints showed: invalid if they showed a problem. */
    ChainReport withCheckpoints(int checkpointsChecked, CheckpointProblem problem) {
        return new ChainReport(
                from,
                to,
                checked,
                firstSeq,
                lastSeq,
                valid && problem == null,
                firstBrokenLink,
                checkpointsChecked,
                problem,
                accessLog,
                archivedThroughSeq);
    }

    /** This report, its walk having started after an archived start of the log. */
    ChainReport archivedThrough(long seq) {
        return new ChainReport(
                from,
                to,
                checked,
                firstSeq,
                lastSeq,
                valid,
                firstBrokenLink,
                checkpointsChecked,
                checkpointProblem,
                accessLog,
                seq);
    }

    /** Where the chain breaks: the record (by seq and id, when it exists) and why. */
    @Schema(name = "BrokenLink")
    public record BrokenLink(long seq, UUID decisionId, String reason) {}

    /**
     * The access log's chain, walked whole (not limited to the window), as the ledger's and the referrals' chains
     * are reported: valid, or the first entry that breaks it.
     */
    @Schema(name = "AccessLogReport")
    public record AccessLogReport(boolean valid, long checked, Long firstInvalidSeq, String problem) {}

    /** The checkpoint (its file and seq, when known) that the log or the files no longer agree with, and why. */
    @Schema(name = "CheckpointProblem")
    public record CheckpointProblem(String file, Long seq, String reason) {}
}
