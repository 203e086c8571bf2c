package io.termsgate.receivables;

import io.termsgate.web.JsonBodies;
import java.time.Clock;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;

/**
 * The real receivables import for a slice test, on the slice's database: files in, summaries and a buyer's snapshots
 * out, with the settings ({@code termsgate.receivables.*}) bound as the service binds them.
 */
@TestConfiguration(proxyBeanMethods = false)
@EnableConfigurationProperties(ReceivablesProperties.class)
class ReceivablesSlice {

    @Bean
    ReceivablesImports receivablesImports(
            JdbcTemplate jdbcTemplate,
            JdbcClient jdbc,
            PlatformTransactionManager transactions,
            JsonBodies json,
            Clock clock,
            ReceivablesProperties properties) {
        return new ReceivablesImports(jdbcTemplate, jdbc, transactions, json, clock, properties);
    }

    @Bean
    ReceivablesHistory receivablesHistory(JdbcClient jdbc) {
        return new ReceivablesHistory(jdbc);
    }
}
