package io.termsgate.audit;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Service;

/**
 * Walks the hash chain of the decision log and reports the first link that does not hold: a record whose content
 * no longer matches its hash (altered), whose previous hash is not its predecessor's (altered or reordered), a gap
 * in the sequence (deleted), or an end of log short of the recorded head (cut off). The access log's chain (who
 * looked) is walked with it.
 */
@Service
class ChainVerifier {

    private static final int PAGE = 1000;

    private final DecisionLog decisionLog;
    private final CheckpointVerifier checkpoints;
    private final AccessLog accessLog;
    private final RetentionProperties retention;
    private final Clock clock;

    /** The chain alone, without checkpoints (so nothing may have been archived): for tests of the walk. */
    ChainVerifier(DecisionLog decisionLog) {
        this(decisionLog, null, null, new RetentionProperties(null), Clock.systemUTC());
    }

    @Autowired
    ChainVerifier(
            DecisionLog decisionLog,
            CheckpointVerifier checkpoints,
            AccessLog accessLog,
            RetentionProperties retention,
            Clock clock) {
        this.decisionLog = decisionLog;
        this.checkpoints = checkpoints;
        this.accessLog = accessLog;
        this.retention = retention;
        this.clock = clock;
    }

    /**
     * Verifies the records decided in [from, to) (null bounds are open), and the whole log against the signed
     * checkpoints.
     */
    ChainReport verify(Instant from, Instant to) {
        ChainReport chain = verifyChain(from, to);
        if (checkpoints != null) {
            CheckpointVerifier.Outcome outcome =
                    checkpoints.verify(chain.archivedThroughSeq() == null ? 0 : chain.archivedThroughSeq());
            chain = chain.withCheckpoints(outcome.checked(), outcome.problem());
        }
        return accessLog == null ? chain : chain.withAccessLog(accessLog.verify());
    }

    private ChainReport verifyChain(Instant from, Instant to) {
        Optional<long[]> range = decisionLog.seqRange(from, to);
        LoggedDecision.Head head = decisionLog.head();
        if (range.isEmpty()) {
            ChainReport.BrokenLink cut = to == null && head.seq() > 0 && from == null
                    ? new ChainReport.BrokenLink(
                            head.seq(),
                            null,
                            "the log is empty but its head says " + head.seq()
                                    + " records were written: records were deleted")
                    : null;
            return new ChainReport(from, to, 0, null, null, cut == null, cut);
        }
        long first = range.get()[0];
        long last = to == null ? Math.max(range.get()[1], head.seq()) : range.get()[1];
        String expectedPrevious = LoggedDecision.GENESIS;
        Long archivedThrough = null;
        if (first > 1) {
            List<LoggedDecision> before = decisionLog.chain(first - 1, 1);
            if (before.isEmpty() || before.get(0).seq() != first - 1) {
                // only the start of the whole log can have been archived: a gap further on is deleted records
                long oldest = decisionLog.seqRange(null, null).map(r -> r[0]).orElse(first);
                Archive archive = oldest == first
                        ? archiveBefore(first)
                        : new Archive(
                                null,
                                " (only the start of the log may be archived; records from " + oldest
                                        + " are still here)");
                if (archive.anchor() == null) {
                    return new ChainReport(
                            from,
                            to,
                            0,
                            first,
                            null,
                            false,
                            new ChainReport.BrokenLink(
                                    first - 1,
                                    null,
                                    "record " + (first - 1) + " is missing: records were deleted" + archive.why()));
                }
                expectedPrevious = archive.anchor().hash();
                archivedThrough = archive.anchor().seq();
            } else {
                expectedPrevious = before.get(0).hash();
            }
        }
        ChainReport walked = walk(from, to, first, last, expectedPrevious, head);
        return archivedThrough == null || !walked.valid() ? walked : walked.archivedThrough(archivedThrough);
    }

    private ChainReport walk(
            Instant from, Instant to, long first, long last, String expectedPrevious, LoggedDecision.Head head) {
        long expectedSeq = first;
        long checked = 0;
        Long lastChecked = null;
        while (expectedSeq <= last) {
            List<LoggedDecision> page = decisionLog.chain(expectedSeq, PAGE);
            for (LoggedDecision record : page) {
                if (record.seq() > last) {
                    break;
                }
                ChainReport.BrokenLink broken = check(record, expectedSeq, expectedPrevious);
                if (broken != null) {
                    return new ChainReport(from, to, checked, first, lastChecked, false, broken);
                }
                checked++;
                lastChecked = record.seq();
                expectedPrevious = record.hash();
                expectedSeq = record.seq() + 1;
            }
            if (page.size() < PAGE) {
                break;
            }
        }
        if (expectedSeq <= last) {
            return new ChainReport(
                    from,
                    to,
                    checked,
                    first,
                    lastChecked,
                    false,
                    new ChainReport.BrokenLink(
                            expectedSeq,
                            null,
                            "records " + expectedSeq + " to " + last
                                    + " are missing: the log ends before its head (seq " + head.seq() + ")"));
        }
        if (to == null
                && lastChecked != null
                && lastChecked == head.seq()
                && !head.hash().equals(expectedPrevious)) {
            return new ChainReport(
                    from,
                    to,
                    checked,
                    first,
                    lastChecked,
                    false,
                    new ChainReport.BrokenLink(
                            lastChecked,
                            null,
                            "the last record's hash is not the head's: the end of the log was rewritten"));
        }
        return new ChainReport(from, to, checked, first, lastChecked, true, null);
    }

    /**
     * What may leave the database now: the records up to the latest signed checkpoint written at least the retention
     * ago (null when none may), and what has left already.
     *
     * @param retention the configured retention, null when nothing may be archived
     * @param cutoff checkpoints written before this may anchor an archive
     * @param archivedThroughSeq the records before the first one still in the database (0: none archived)
     * @param archivableThroughSeq archive the records up to and including this seq, or null: none may go now
     * @param anchor the signed checkpoint at that seq: keep its line with the archive
     */
    record Retention(
            String retention,
            Instant cutoff,
            long archivedThroughSeq,
            Long archivableThroughSeq,
            VerifyLog.Checkpoint anchor) {}

    Retention retention() {
        long archived =
                decisionLog.seqRange(null, null).map(range -> range[0] - 1).orElse(0L);
        if (retention.retention() == null || checkpoints == null) {
            return new Retention(null, null, archived, null, null);
        }
        Instant cutoff = clock.instant()
                .atZone(java.time.ZoneOffset.UTC)
                .minus(retention.retention())
                .toInstant();
        VerifyLog.Checkpoint latest = null;
        for (VerifyLog.Filed f : checkpoints.signed()) {
            VerifyLog.Checkpoint c = f.checkpoint();
            if (c.seq() > archived
                    && !Instant.parse(c.at()).isAfter(cutoff)
                    && (latest == null || c.seq() > latest.seq())) {
                latest = c;
            }
        }
        return new Retention(
                retention.retention().toString(), cutoff, archived, latest == null ? null : latest.seq(), latest);
    }

    /** The signed checkpoint an archived start of the log ends on, or why there is none that may. */
    private record Archive(VerifyLog.Checkpoint anchor, String why) {}

    /**
     * Records before {@code first} are gone. They were archived, not deleted, only if a retention is configured, the
     * records end exactly at a signed checkpoint, and that checkpoint was written at least the retention ago.
     */
    private Archive archiveBefore(long first) {
        if (retention.retention() == null || checkpoints == null) {
            return new Archive(null, " (no retention is configured, so none may be archived)");
        }
        java.util.Optional<VerifyLog.Filed> anchor = checkpoints.signedAt(first - 1);
        if (anchor.isEmpty()) {
            return new Archive(
                    null,
                    " (an archive must end at a signed checkpoint, and there is none at seq " + (first - 1) + ")");
        }
        Instant written = Instant.parse(anchor.get().checkpoint().at());
        Instant cutoff = clock.instant()
                .atZone(java.time.ZoneOffset.UTC)
                .minus(retention.retention())
                .toInstant();
        if (written.isAfter(cutoff)) {
            return new Archive(
                    null,
                    " before their retention (" + retention.retention() + ") ended: the checkpoint at seq "
                            + (first - 1) + " was written " + written + ", after " + cutoff);
        }
        return new Archive(anchor.get().checkpoint(), null);
    }

    private static ChainReport.BrokenLink check(LoggedDecision record, long expectedSeq, String expectedPrevious) {
        UUID id = record.record().decisionId();
        if (record.seq() != expectedSeq) {
            return new ChainReport.BrokenLink(
                    expectedSeq,
                    null,
                    "record " + expectedSeq
                            + (record.seq() == expectedSeq + 1 ? " is" : " to " + (record.seq() - 1) + " are")
                            + " missing: records were deleted");
        }
        if (!record.previousHash().equals(expectedPrevious)) {
            return new ChainReport.BrokenLink(
                    record.seq(),
                    id,
                    "its previous hash is not the hash of record " + (record.seq() - 1)
                            + ": a record before it was altered, replaced or reordered");
        }
        if (!record.verifies()) {
            return new ChainReport.BrokenLink(
                    record.seq(), id, "its content does not match its hash: the record was altered");
        }
        return null;
    }
}
