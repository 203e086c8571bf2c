package io.termsgate.referral;

import io.termsgate.support.ServiceTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.TestPropertySource;

/** Referrals on the embedded default database. */
@ServiceTest
@Import(SettableClock.InService.class)
@TestPropertySource(properties = "termsgate.referrals.sweep-interval=1h") // the tests sweep when they move the clock
class H2ReferralTest extends ReferralScenarios {}
