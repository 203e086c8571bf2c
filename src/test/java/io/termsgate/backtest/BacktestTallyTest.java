package io.termsgate.backtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** A backtest that changes many decisions keeps only the ones its report lists, and counts every one. */
class BacktestTallyTest {

    @Test
    void aTallyKeepsTheListedChangedDecisionsOfLowestSeqAndCountsThemAll() {
        int changes = 3 * BacktestReport.LISTED + 123;
        List<Long> seqs =
                new ArrayList<>(LongStream.rangeClosed(1, changes).boxed().toList());
        Collections.shuffle(seqs, new Random(17));
        BacktestReport.Tally total = new BacktestReport.Tally();
        // as the runner does: one tally per page of the log (here in no order), merged into the backtest's
        for (int from = 0; from < seqs.size(); from += 2_000) {
            BacktestReport.Tally page = new BacktestReport.Tally();
            seqs.subList(from, Math.min(seqs.size(), from + 2_000)).forEach(seq -> {
                page.total++;
                page.changed(new BacktestReport.ChangedDecision(
                        UUID.randomUUID(), seq, "C", Instant.EPOCH, "v", Map.of(), Map.of(), List.of("outcome")));
            });
            total.merge(page);
            assertThat(total.changedDecisions).hasSizeLessThanOrEqualTo(BacktestReport.LISTED);
        }

        BacktestReport report = total.report(UUID.randomUUID(), "v", null, null, 1);
        assertThat(report.total()).isEqualTo(changes);
        assertThat(report.changed()).isEqualTo(changes);
        assertThat(report.changedDecisions())
                .extracting(BacktestReport.ChangedDecision::seq)
                .containsExactlyElementsOf(
                        LongStream.rangeClosed(1, BacktestReport.LISTED).boxed().toList());
    }
}
