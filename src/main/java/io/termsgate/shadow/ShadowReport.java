package io.termsgate.shadow;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;

/**
 * A challenger's report, computed from the rows every instance stored: how many live decisions it evaluated, how
 * many it would have answered differently, the outcome transitions (live -> challenger, unchanged ones included),
 * how the credit limits would have moved, and the sampled decisions that were dropped because an instance's queue
 * was full.
 *
 * @param status RUNNING or STOPPED
 * @param startedAt the first start; {@code resumedAt} the latest (a stopped challenger started again continues)
 * @param engineErrors evaluations the challenger could not make (a safe referral, counted as changed when it is)
 */
public record ShadowReport(
        String rulesetVersion,
        String status,
        BigDecimal sampleRate,
        Instant startedAt,
        String startedBy,
        Instant resumedAt,
        Instant stoppedAt,
        String stoppedBy,
        long total,
        long changed,
        Map<String, Long> transitions,
        LimitDelta limitDelta,
        long engineErrors,
        long dropped,
        String changes) {

    /**
     * Challenger limit minus live limit over every evaluated decision; {@code min} and {@code max} are null while
     * nothing was evaluated.
     */
    public record LimitDelta(BigDecimal sum, BigDecimal min, BigDecimal max) {}
}
