package io.termsgate.support;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.termsgate.audit.AuditSlice;
import io.termsgate.ruleset.RulesetSlice;
import io.termsgate.security.SecuritySlice;
import io.termsgate.web.WebSlice;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.time.Clock;
import org.springframework.boot.test.autoconfigure.jdbc.AutoConfigureJdbc;
import org.springframework.boot.test.autoconfigure.web.servlet.WebMvcTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.annotation.AliasFor;
import org.springframework.test.context.ActiveProfiles;

/**
 * A slice test of one controller's HTTP contract through {@code MockMvc}: only that controller (and the problem
 * advice, the body cap) on the web side, with the service's real API security (keys of the test profile, roles),
 * JSON settings, and real light-weight collaborators: an in-memory H2 database with the service's migrations, the
 * ruleset module with the default ruleset live (compiled once per JVM), the decision log. No server, no start-up
 * compile, no scheduled work.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@WebMvcTest
@AutoConfigureJdbc
@ActiveProfiles("test")
@Import({SecuritySlice.class, WebSlice.class, RulesetSlice.class, AuditSlice.class, ControllerSliceTest.Basics.class})
public @interface ControllerSliceTest {

    /** The controller under test. */
    @AliasFor(annotation = WebMvcTest.class, attribute = "controllers")
    Class<?>[] value();

    /**
     * What the service's own configuration gives every module: one clock, one meter registry; and the database, a
     * fresh in-memory H2 behind a cable a test may cut ({@link DatabaseCable}).
     */
    @TestConfiguration(proxyBeanMethods = false)
    class Basics {

        @Bean
        DatabaseCable dataSource() {
            return DatabaseCable.h2("slice");
        }

        @Bean
        Clock clock() {
            return Clock.systemUTC();
        }

        @Bean
        MeterRegistry meterRegistry() {
            return new SimpleMeterRegistry();
        }
    }
}
