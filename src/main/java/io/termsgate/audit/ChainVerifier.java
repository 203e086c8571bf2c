package io.termsgate.audit;

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

    /** The chain alone, without checkpoints: for tests of the walk. */
    ChainVerifier(DecisionLog decisionLog) {
        this(decisionLog, null, null);
    }

    @Autowired
    ChainVerifier(DecisionLog decisionLog, CheckpointVerifier checkpoints, AccessLog accessLog) {
        this.decisionLog = decisionLog;
        this.checkpoints = checkpoints;
        this.accessLog = accessLog;
    }

    /**
     * Verifies the records decided in [from, to) (null bounds are open), and the whole log against the signed
     * checkpoints.
     */
    ChainReport verify(Instant from, Instant to) {
        ChainReport chain = verifyChain(from, to, checkpoints == null ? null : checkpoints::anchorFor);
        if (checkpoints != null) {
            CheckpointVerifier.Outcome outcome = checkpoints.verify();
            chain = chain.withCheckpoints(outcome.checked(), outcome.problem());
        }
        return accessLog == null ? chain : chain.withAccessLog(accessLog.verify());
    }

    /**
     * @param anchors the signed checkpoint that vouches for the records from a seq on when those before it were
     *     archived, or null without checkpoints
     */
    private ChainReport verifyChain(
            Instant from, Instant to, java.util.function.LongFunction<CheckpointVerifier.Anchor> anchors) {
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
        Long archivedBefore = null;
        if (first > 1) {
            List<LoggedDecision> before = decisionLog.chain(first - 1, 1);
            boolean missing = before.isEmpty() || before.get(0).seq() != first - 1;
            CheckpointVerifier.Anchor anchor = null;
            if (missing && anchors != null && !before.isEmpty() && before.get(0).seq() == first && oldest() == first) {
                // nothing before the first record: archived, if a signed checkpoint vouches for what remains
                anchor = anchors.apply(first);
            }
            if (anchor != null) {
                archivedBefore = first;
                // a checkpoint at the record just before links to it; a later one vouches for the records up to it
                // (changing any of them changes every hash after it, up to the checkpoint's)
                expectedPrevious = anchor.seq() == first - 1
                        ? anchor.hash()
                        : before.get(0).previousHash();
            } else if (missing) {
                return new ChainReport(
                        from,
                        to,
                        0,
                        first,
                        null,
                        false,
                        new ChainReport.BrokenLink(
                                first - 1, null, "record " + (first - 1) + " is missing: records were deleted"));
            } else {
                expectedPrevious = before.get(0).hash();
            }
        }
        return walk(from, to, first, last, expectedPrevious, head).archivedBefore(archivedBefore);
    }

    /** The seq of the oldest record in the log, 0 when it is empty. */
    private long oldest() {
        return decisionLog.seqRange(null, null).map(r -> r[0]).orElse(0L);
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
