package io.termsgate.referral;

import io.termsgate.audit.DecisionLog;
import io.termsgate.creditline.CreditLineSlice;
import io.termsgate.creditline.CreditLines;
import io.termsgate.ruleset.ActiveRuleset;
import java.time.Clock;
import javax.sql.DataSource;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/** Real referrals for a slice test, on the slice's database, decision log and credit lines. Nothing sweeps them. */
@TestConfiguration(proxyBeanMethods = false)
@Import(CreditLineSlice.class)
public class ReferralSlice {

    @Bean
    Referrals referrals(
            DataSource dataSource,
            DecisionLog decisionLog,
            CreditLines creditLines,
            ActiveRuleset rulesets,
            Clock clock) {
        return ReferralsForTests.on(dataSource, decisionLog, creditLines, rulesets, clock);
    }
}
