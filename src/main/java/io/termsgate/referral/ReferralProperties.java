package io.termsgate.referral;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How referral cases are timed (termsgate.referrals.*). Deadlines come from the ruleset's delegated-authority table in
 * business hours; these settings say what a business hour is, when an unanswered case expires and how often the
 * deadline sweep runs.
 *
 * @param expireAfter from the case's creation to its expiry as DECLINED (REF_EXPIRED), in wall-clock time
 * @param fallbackDueBusinessHours the deadline when the authority table cannot answer (logged as an error)
 * @param businessZone the time zone business hours are counted in
 * @param businessDays the working days
 * @param businessStart the start of a working day, in {@code businessZone}
 * @param businessEnd the end of a working day
 */
@ConfigurationProperties("termsgate.referrals")
record ReferralProperties(
        @DefaultValue("72h") Duration expireAfter,
        @DefaultValue("4") int fallbackDueBusinessHours,
        @DefaultValue("UTC") ZoneId businessZone,

        @DefaultValue({"MONDAY", "TUESDAY", "WEDNESDAY", "THURSDAY", "FRIDAY"})
        Set<DayOfWeek> businessDays,

        @DefaultValue("09:00") LocalTime businessStart,
        @DefaultValue("17:00") LocalTime businessEnd) {

    ReferralProperties {
        if (expireAfter.isNegative() || expireAfter.isZero()) {
            throw new IllegalArgumentException("termsgate.referrals.expire-after must be positive");
        }
        if (fallbackDueBusinessHours < 1) {
            throw new IllegalArgumentException("termsgate.referrals.fallback-due-business-hours must be at least 1");
        }
        if (businessDays.isEmpty() || !businessStart.isBefore(businessEnd)) {
            throw new IllegalArgumentException(
                    "termsgate.referrals business hours need at least one business day and a start before the end");
        }
    }

    BusinessHours businessHours() {
        return new BusinessHours(businessZone, businessDays, businessStart, businessEnd);
    }
}
