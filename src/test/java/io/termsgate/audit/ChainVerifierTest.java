package io.termsgate.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Chain verification over a real (in-memory H2) decision log whose rows are then changed behind its back. */
class ChainVerifierTest {

    private final AuditDatabase database = new AuditDatabase();
    private final JdbcDecisionLog log = database.log();
    private final ChainVerifier verifier = new ChainVerifier(log);

    @BeforeEach
    void fiveDecisions() {
        List<DecisionRecord> records = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            records.add(AuditDatabase.record("C-" + i, null));
        }
        assertThat(log.commit(records.stream()
                                .map(r -> new GroupCommitWriter.Entry(r, null))
                                .toList())
                        .logged())
                .hasSize(5);
    }

    @AfterEach
    void close() {
        log.close();
    }

    @Test
    void anUntouchedChainHolds() {
        ChainReport report = verifier.verify(null, null);
        assertThat(report.valid()).isTrue();
        assertThat(report.checked()).isEqualTo(5);
        assertThat(report.firstSeq()).isEqualTo(1);
        assertThat(report.lastSeq()).isEqualTo(5);
    }

    @Test
    void aChangedRecordIsFoundAtItsSeq() {
        database.jdbc
                .sql("UPDATE decision_log SET result_json = '{\"outcome\":\"DECLINED\"}' WHERE seq = 3")
                .update();

        ChainReport report = verifier.verify(null, null);
        assertThat(report.valid()).isFalse();
        assertThat(report.checked()).isEqualTo(2);
        assertThat(report.firstBrokenLink().seq()).isEqualTo(3);
        assertThat(report.firstBrokenLink().decisionId()).isNotNull();
        assertThat(report.firstBrokenLink().reason()).contains("does not match its hash");
    }

    @Test
    void aDeletedRecordIsFoundAsAGap() {
        database.jdbc.sql("DELETE FROM decision_log WHERE seq = 3").update();

        ChainReport.BrokenLink broken = link(verifier.verify(null, null));
        assertThat(broken.seq()).isEqualTo(3);
        assertThat(broken.reason()).isEqualTo("record 3 is missing: records were deleted");
    }

    @Test
    void deletedRecordsAtTheEndAreFoundAgainstTheHead() {
        database.jdbc.sql("DELETE FROM decision_log WHERE seq >= 4").update();

        ChainReport.BrokenLink broken = link(verifier.verify(null, null));
        assertThat(broken.seq()).isEqualTo(4);
        assertThat(broken.reason()).contains("records 4 to 5 are missing");
    }

    @Test
    void aRecordReplacedWithItsHashRecomputedBreaksTheNextLink() {
        LoggedDecision third = log.chain(3, 1).get(0);
        DecisionRecord forged = AuditDatabase.record("C-forged", null);
        String hash = LoggedDecision.chainHash(third.previousHash(), 3, forged);
        database.jdbc
                .sql("UPDATE decision_log SET customer_id = ?, decision_id = ?, request_json = ?, "
                        + "request_sha256 = ?, hash = ? WHERE seq = 3")
                .params(forged.customerId(), forged.decisionId(), forged.requestJson(), forged.requestSha256(), hash)
                .update();

        ChainReport.BrokenLink broken = link(verifier.verify(null, null));
        assertThat(broken.seq()).isEqualTo(4);
        assertThat(broken.reason()).contains("previous hash is not the hash of record 3");
    }

    private static ChainReport.BrokenLink link(ChainReport report) {
        assertThat(report.valid()).isFalse();
        return report.firstBrokenLink();
    }
}
