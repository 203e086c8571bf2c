package io.termsgate.backtest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataIntegrityViolationException;

/**
 * What an analyst reads for a failed backtest: the kind of failure (the database, a logged decision that does not
 * open, a stop, memory, or an internal error) and the reference of the whole failure in the log, never an exception's
 * message, because messages can hold SQL, stored JSON, customer ids or their lookups, and internal names.
 */
class BacktestFailureReasonTest {

    @Test
    void aRecordThatDoesNotOpenIsNamedAsSuchWithoutTheLookupOrReferenceItsMessageCarries() {
        IllegalStateException sealed = new io.termsgate.audit.PersonalData.DoesNotOpen(
                "personal data of 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08|r-1234 does not open:"
                        + " a different master key, or altered",
                null);

        assertThat(BacktestRunner.reason(sealed, "ab12cd34"))
                .isEqualTo("a decision in the log could not be read (personal data that does not open: altered, or"
                        + " sealed under another master key) (reference ab12cd34 in the service log)");
    }

    @Test
    void aMessageOfTheServicesOwnIsNotShownEither() {
        assertThat(BacktestRunner.reason(new IllegalStateException("customer CUST-7 has no line"), "r"))
                .isEqualTo("an internal error (reference r in the service log)");
        assertThat(BacktestRunner.reason(new ClassCastException("class io.termsgate.X cannot be cast"), "r"))
                .isEqualTo("an internal error (reference r in the service log)");
    }

    @Test
    void whatFailedIsFoundUnderTheCopiesThePoolsMadeOfIt() {
        IllegalStateException original = new IllegalStateException("the fault");
        // what ForkJoinTask.get hands back for a failure thrown on another thread: a copy with the original as cause
        IllegalStateException copy = new IllegalStateException(original.toString(), original);
        IllegalStateException copyOfCopy = new IllegalStateException(copy.toString(), copy);
        IllegalStateException wrapping = new IllegalStateException("a page failed", original);

        assertThat(BacktestRunner.failureOf(new java.util.concurrent.ExecutionException(copyOfCopy)))
                .isSameAs(original);
        assertThat(BacktestRunner.failureOf(copy)).isSameAs(original);
        assertThat(BacktestRunner.failureOf(wrapping))
                .as("not a copy: a failure of its own")
                .isSameAs(wrapping);
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
        assertThat(BacktestRunner.reason(
                        new org.springframework.transaction.CannotCreateTransactionException("no connection"), "r"))
                .isEqualTo("a read or write of the database failed (reference r in the service log)");
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
