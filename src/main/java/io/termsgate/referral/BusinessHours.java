package io.termsgate.referral;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Set;

/**
 * A working week (days, and hours of each day, in one time zone) to count deadlines in: 4 business hours from Friday
 * 16:00 is Monday 12:00. Holidays are not known.
 */
record BusinessHours(ZoneId zone, Set<DayOfWeek> days, LocalTime start, LocalTime end) {

    /** The instant {@code hours} business hours after {@code from}. */
    Instant plus(Instant from, int hours) {
        Duration left = Duration.ofHours(hours);
        ZonedDateTime at = from.atZone(zone);
        while (true) {
            if (days.contains(at.getDayOfWeek()) && at.toLocalTime().isBefore(end)) {
                ZonedDateTime open = at.toLocalTime().isBefore(start) ? at.with(start) : at;
                Duration today = Duration.between(open, open.with(end));
                if (left.compareTo(today) <= 0) {
                    return open.plus(left).toInstant();
                }
                left = left.minus(today);
            }
            at = at.toLocalDate().plusDays(1).atTime(start).atZone(zone);
        }
    }
}
