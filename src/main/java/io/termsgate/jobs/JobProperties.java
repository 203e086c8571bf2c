package io.termsgate.jobs;

import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import java.util.List;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How much of this instance background jobs (batch decisions, backtests) may use.
 *
 * @param threads how many partitions this instance runs at once: checkout keeps the other cores (0: this instance
 *     runs none, others do)
 * @param pollInterval how often the instance looks for partitions to run (it also looks as soon as one is queued or
 *     finished here)
 * @param dutyCycle the share of its time a background thread may work while the calls people wait on are being
 *     served ({@link BackgroundPace}): 0.1 works a slice and then rests nine slices; 1 never rests
 * @param slice how long a background thread works before it asks whether to rest
 * @param idleAfter how long after the last foreground call background work runs at full speed again
 * @param foregroundCalls the calls someone waits on, each a method and a Spring path pattern: checkout's decisions and
 *     their status, the decision services; while one of them is in flight or was within {@code idleAfter}, background
 *     work keeps its duty cycle
 */
@Validated
@ConfigurationProperties("termsgate.jobs")
public record JobProperties(
        @DefaultValue("1") @Min(0) @Max(64) int threads,
        @DefaultValue("1s") Duration pollInterval,

        @DefaultValue("0.1") @DecimalMin("0.01") @DecimalMax("1.0")
        double dutyCycle,

        @DefaultValue("5ms") @NotNull @DurationMin(millis = 1)
        Duration slice,

        @DefaultValue("1s") @NotNull @DurationMin(millis = 0)
        Duration idleAfter,

        @DefaultValue({CHECKOUT_DECISIONS, CHECKOUT_STATUS, MODEL_CALLS, MODEL_RESULTS}) @NotEmpty
        List<String> foregroundCalls) {

    private static final String CHECKOUT_DECISIONS = "POST /api/v1/credit-decisions";
    private static final String CHECKOUT_STATUS = "GET /api/v1/credit-decisions/*/status";
    private static final String MODEL_CALLS = "POST /api/v1/models/*";
    private static final String MODEL_RESULTS = "POST /api/v1/models/*/*"; // dmnresult, a decision service

    /** Settings for {@code threads} with the default pace (for code that builds its own runner, as tests do). */
    public static JobProperties of(int threads) {
        return new JobProperties(
                threads,
                Duration.ofSeconds(1),
                0.1,
                Duration.ofMillis(5),
                Duration.ofSeconds(1),
                List.of(CHECKOUT_DECISIONS, CHECKOUT_STATUS, MODEL_CALLS, MODEL_RESULTS));
    }
}
