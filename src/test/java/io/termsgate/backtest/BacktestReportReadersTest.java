package io.termsgate.backtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Customer ids in a backtest report are personal data: an auditor reads them, analysts and approvers do not. */
class BacktestReportReadersTest {

    @Test
    void onlyAnAuditorReadsTheChangedDecisionsCustomers() {
        UUID decision = UUID.randomUUID();
        BacktestReport.Delta none = new BacktestReport.Delta(
                BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, 0, 0, 1, BigDecimal.ZERO, BigDecimal.ZERO, Map.of());
        BacktestReport report = new BacktestReport(
                UUID.randomUUID(),
                "sha256:" + "0".repeat(64),
                Instant.EPOCH,
                Instant.EPOCH.plusSeconds(60),
                1,
                1,
                Map.of("REFERRED->APPROVED", 1L),
                Map.of(),
                none,
                none,
                none,
                0,
                0,
                0,
                0,
                1,
                1.0,
                List.of(new BacktestReport.ChangedDecision(
                        decision,
                        7,
                        "ACME-0042",
                        Instant.EPOCH,
                        "sha256:" + "1".repeat(64),
                        Map.of("outcome", "REFERRED"),
                        Map.of("outcome", "APPROVED"),
                        List.of("outcome"))));

        assertThat(report.forReader(true).changedDecisions().get(0).customerId())
                .isEqualTo("ACME-0042");
        BacktestReport.ChangedDecision seen =
                report.forReader(false).changedDecisions().get(0);
        assertThat(seen.customerId()).isNull();
        assertThat(seen.decisionId()).isEqualTo(decision);
        assertThat(seen.replayed()).isEqualTo(Map.of("outcome", "APPROVED"));
        assertThat(BacktestCsv.of(report.forReader(false)))
                .doesNotContain("ACME-0042")
                .contains(decision.toString());
        assertThat(report.forReader(false).transitions()).isEqualTo(report.transitions());
    }
}
