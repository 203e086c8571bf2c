package io.termsgate.receivables;

import org.springframework.jdbc.core.simple.JdbcClient;

/** The receivables' read face on a given database, without Spring, for unit tests in other modules. */
public final class ReceivablesForTests {

    private ReceivablesForTests() {}

    public static Receivables on(JdbcClient jdbc) {
        return new Receivables(jdbc);
    }
}
