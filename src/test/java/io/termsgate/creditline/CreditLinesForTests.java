package io.termsgate.creditline;

import io.termsgate.audit.DecisionLog;
import io.termsgate.receivables.ReceivablesForTests;
import java.time.Clock;
import java.time.Duration;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

/** Real credit lines on a given database, without Spring, for unit tests in other modules. */
public final class CreditLinesForTests {

    private CreditLinesForTests() {}

    public static CreditLines on(DataSource dataSource, DecisionLog decisionLog, Clock clock) {
        JdbcClient jdbc = JdbcClient.create(dataSource);
        return new CreditLines(
                new JdbcCreditLines(jdbc, ReceivablesForTests.on(jdbc)),
                decisionLog,
                new DataSourceTransactionManager(dataSource),
                dataSource,
                new CreditLineProperties(Duration.ofDays(30), Duration.ofMinutes(1)),
                clock);
    }
}
