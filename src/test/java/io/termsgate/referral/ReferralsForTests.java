package io.termsgate.referral;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.termsgate.audit.DecisionLog;
import io.termsgate.creditline.CreditLines;
import io.termsgate.ruleset.ActiveRuleset;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.util.EnumSet;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

/** Real referrals on a given database, without Spring, for unit tests in other modules. */
public final class ReferralsForTests {

    private ReferralsForTests() {}

    public static Referrals on(
            DataSource dataSource,
            DecisionLog decisionLog,
            CreditLines creditLines,
            ActiveRuleset rulesets,
            Clock clock) {
        JdbcReferrals cases = new JdbcReferrals(JdbcClient.create(dataSource));
        DecisionStatuses statuses = new DecisionStatuses(decisionLog, cases, creditLines, clock);
        return new Referrals(
                cases,
                decisionLog,
                creditLines,
                rulesets,
                new ReferralProperties(
                        Duration.ofHours(72),
                        4,
                        ZoneOffset.UTC,
                        EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY),
                        LocalTime.of(9, 0),
                        LocalTime.of(17, 0)),
                new DataSourceTransactionManager(dataSource),
                new ReferralMetrics(new SimpleMeterRegistry(), cases),
                new FinalAnswers(new ObjectMapper().findAndRegisterModules(), statuses),
                clock);
    }
}
