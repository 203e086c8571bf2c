package io.termsgate.backtest;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How a backtest holds its work; how many threads replay is {@code termsgate.jobs.threads}.
 *
 * @param page how many logged decisions are read and replayed at a time (while one page replays, the changed ones of
 *     the page before are written to the database and the page after is read: at most three pages are held)
 * @param listed how many changed decisions the report itself lists, the first by seq: the only ones a running backtest
 *     keeps in memory (all of them are in the database, paged by the API and streamed by the CSV export)
 */
@Validated
@ConfigurationProperties("termsgate.backtest")
record BacktestProperties(
        @DefaultValue("2000") @Min(1) @Max(100_000) int page,
        @DefaultValue("1000") @Min(0) @Max(10_000) int listed) {

    /** The defaults. */
    static BacktestProperties defaults() {
        return new BacktestProperties(2000, BacktestReport.LISTED);
    }
}
