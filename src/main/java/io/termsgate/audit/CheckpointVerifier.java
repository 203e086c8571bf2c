package io.termsgate.audit;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Checks the decision log against the signed checkpoint files: every line verifies with the public key, the chain
 * still passes through every checkpoint, the head is not before the latest, and every checkpoint the database lists
 * for an instance whose files are here is still in the files.
 */
@Component
class CheckpointVerifier {

    private static final int CHUNK = 500;

    private final JdbcClient jdbc;
    private final DecisionLog decisionLog;
    private final AuditSigningKey key;
    private final CheckpointWriter writer;

    CheckpointVerifier(JdbcClient jdbc, DecisionLog decisionLog, AuditSigningKey key, CheckpointWriter writer) {
        this.jdbc = jdbc;
        this.decisionLog = decisionLog;
        this.key = key;
        this.writer = writer;
    }

    record Outcome(int checked, ChainReport.CheckpointProblem problem) {}

    /** A signed checkpoint the remaining records are verified from. */
    record Anchor(long seq, String hash) {}

    /**
     * When the records before {@code first} were archived: the earliest signed checkpoint at {@code first - 1} or
     * later, whose hash the remaining chain must lead to (checked by {@link #verify}), or null when there is none and
     * the missing records cannot be told from deleted ones.
     */
    Anchor anchorFor(long first) {
        VerifyLog.Problem[] fileProblem = new VerifyLog.Problem[1];
        return VerifyLog.read(writer.dir(), key.publicKey(), fileProblem).stream()
                .map(VerifyLog.Filed::checkpoint)
                .filter(c -> c.seq() >= first - 1)
                .min(java.util.Comparator.comparingLong(VerifyLog.Checkpoint::seq))
                .map(c -> new Anchor(c.seq(), c.hash()))
                .orElse(null);
    }

    Outcome verify() {
        VerifyLog.Problem[] fileProblem = new VerifyLog.Problem[1];
        List<VerifyLog.Filed> filed = VerifyLog.read(writer.dir(), key.publicKey(), fileProblem);
        if (fileProblem[0] != null) {
            return new Outcome(
                    filed.size(), problem(fileProblem[0].file(), fileProblem[0].seq(), fileProblem[0].reason()));
        }
        LoggedDecision.Head head = decisionLog.head();
        Map<Long, String> hashes = hashesAt(
                filed.stream().map(f -> f.checkpoint().seq()).distinct().toList());
        long oldest = jdbc.sql("SELECT COALESCE(MIN(seq), 0) FROM decision_log")
                .query(Long.class)
                .single();
        int checked = 0;
        for (VerifyLog.Filed f : filed) {
            VerifyLog.Checkpoint c = f.checkpoint();
            if (c.seq() < oldest) {
                continue; // its record was archived with the records before it (docs/operations.md, retention)
            }
            if (c.seq() > head.seq()) {
                return new Outcome(
                        checked,
                        problem(
                                f.file(),
                                c.seq(),
                                "the log's head is at seq " + head.seq()
                                        + ", before this checkpoint: records were cut off the end"));
            }
            String hash = hashes.get(c.seq());
            if (hash == null) {
                return new Outcome(checked, problem(f.file(), c.seq(), "record " + c.seq() + " is missing"));
            }
            if (!hash.equals(c.hash())) {
                return new Outcome(
                        checked,
                        problem(
                                f.file(),
                                c.seq(),
                                "record " + c.seq() + " no longer has the checkpoint's hash: the chain was rewritten"));
            }
            checked++;
        }
        Set<String> inFiles = new HashSet<>();
        Set<String> instances = new HashSet<>(List.of(writer.instanceId()));
        for (VerifyLog.Filed f : filed) {
            inFiles.add(f.checkpoint().instance() + "\u0000" + f.checkpoint().seq());
            instances.add(f.checkpoint().instance());
        }
        List<Object[]> listed = jdbc.sql("SELECT instance_id, seq, file FROM audit_checkpoint "
                        + "WHERE instance_id IN (:instances) ORDER BY seq")
                .param("instances", instances)
                .query((rs, n) -> new Object[] {rs.getString(1), rs.getLong(2), rs.getString(3)})
                .list();
        for (Object[] row : listed) {
            if (!inFiles.contains(row[0] + "\u0000" + row[1])) {
                return new Outcome(
                        checked,
                        problem(
                                (String) row[2],
                                (Long) row[1],
                                "written by " + row[0]
                                        + " and listed in the database, but not in the checkpoint files: a line was deleted"));
            }
        }
        return new Outcome(checked, null);
    }

    private Map<Long, String> hashesAt(List<Long> seqs) {
        Map<Long, String> hashes = new HashMap<>();
        for (int i = 0; i < seqs.size(); i += CHUNK) {
            List<Long> chunk = new ArrayList<>(seqs.subList(i, Math.min(seqs.size(), i + CHUNK)));
            jdbc.sql("SELECT seq, hash FROM decision_log WHERE seq IN (:seqs)")
                    .param("seqs", chunk)
                    .query((rs, n) -> hashes.put(rs.getLong(1), rs.getString(2)))
                    .list();
        }
        return hashes;
    }

    private static ChainReport.CheckpointProblem problem(String file, Long seq, String reason) {
        return new ChainReport.CheckpointProblem(file, seq, reason);
    }
}
