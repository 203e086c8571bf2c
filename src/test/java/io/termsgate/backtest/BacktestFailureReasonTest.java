package io.termsgate.backtest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;

/**
 * What an analyst reads for a failed backtest: the service's own message as it is, and for anything else (the
 * database, a library, the JVM) only what kind of failure it was and the reference of the whole failure in the log,
 * because those messages can hold SQL, stored JSON and customer ids.
 */
class BacktestFailureReasonTest {

    @Test
    void aMessageWrittenByTheServiceIsShownOnItsFirstLineWithTheReference() {
        IllegalStateException ours = new IllegalStateException(
                "personal data of 1a2b does not open: a different master key, or altered\n" + "second line");

        assertThat(BacktestRunner.reason(ours, "ab12cd34"))
                .isEqualTo("personal data of 1a2b does not open: a different master key, or altered"
                        + " (reference ab12cd34 in the service log)");
    }

    @Test
    void theDatabasesMessageIsNeverShown() {
        DataIntegrityViolationException refused = new DataIntegrityViolationException(
                "PreparedStatementCallback; SQL [INSERT INTO backtest_changed (customer_id) VALUES (?)]",
                new SQLException("ERROR: new row violates check constraint\n  Detail: Failing row contains (CUST-7)"));

        assertThat(BacktestRunner.reason(refused, "ab12cd34"))
                .isEqualTo("a read or write of the database failed (reference ab12cd34 in the service log)");
        assertThat(BacktestRunner.reason(new SQLException("Detail: Failing row contains (CUST-7)"), "x"))
                .doesNotContain("CUST-7");
    }

    @Test
    void aLibrarysMessagePassedOnByOursIsNotTakenForOurs() throws Exception {
        JsonProcessingException parse = null;
        try {
            new ObjectMapper().readTree("{\"customerId\": \"CUST-7\", oops}");
        } catch (JsonProcessingException e) {
            parse = e;
        }
        assertThat(parse).isNotNull();
        IllegalStateException wrapped = new IllegalStateException(parse); // thrown here, in io.termsgate
        assertThat(wrapped.getStackTrace()[0].getClassName()).startsWith("io.termsgate.");

        assertThat(BacktestRunner.reason(wrapped, "ab12cd34"))
                .isEqualTo("an internal error (reference ab12cd34 in the service log)");
        assertThat(BacktestRunner.reason(parse, "ab12cd34")).doesNotContain("CUST-7", "oops");
    }

    @Test
    void theJvmsFailuresAndAStopAreNamedWithoutAMessage() {
        assertThat(BacktestRunner.reason(new OutOfMemoryError("Java heap space"), "r"))
                .isEqualTo("the service ran out of memory (reference r in the service log)");
        assertThat(BacktestRunner.reason(new InterruptedException(), "r"))
                .isEqualTo("the service stopped while it ran (reference r in the service log)");
        assertThat(BacktestRunner.reason(new IllegalStateException(), "r"))
                .as("ours, but with nothing to say")
                .isEqualTo("an internal error (reference r in the service log)");
    }
}
