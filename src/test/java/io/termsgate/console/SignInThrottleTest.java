package io.termsgate.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.termsgate.referral.SettableClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Failed sign-ins slow the next try down, per name and per address, doubling up to a ceiling. */
class SignInThrottleTest {

    static final Instant START = Instant.parse("2026-12-01T09:00:00Z");

    final SettableClock clock = new SettableClock(START);
    final SignInThrottle throttle = new SignInThrottle(SignInProperties.defaults(), clock);

    @Test
    void fiveFailuresForANameMakeTheNextTryWaitASecondThenTwiceAsLongUpToFifteenMinutes() {
        for (int i = 1; i <= 4; i++) {
            throttle.failed("alice", "10.0.0." + i);
            assertThat(throttle.wait("alice", "10.0.0.9")).as("failure " + i).isEmpty();
        }
        throttle.failed("alice", "10.0.0.5");
        assertThat(throttle.wait("alice", "10.0.0.9")).contains(Duration.ofSeconds(1));
        assertThat(throttle.wait("bob", "10.0.0.9")).as("another name").isEmpty();

        Duration expected = Duration.ofSeconds(1);
        for (int failure = 6; failure <= 20; failure++) {
            clock.set(clock.instant().plus(throttle.wait("alice", "10.0.0.9").orElse(Duration.ZERO)));
            assertThat(throttle.wait("alice", "10.0.0.9")).isEmpty();
            throttle.failed("alice", "10.0.0." + failure);
            expected = min(expected.multipliedBy(2), Duration.ofMinutes(15));
            assertThat(throttle.wait("alice", "10.0.0.9"))
                    .as("failure " + failure)
                    .contains(expected);
        }
    }

    @Test
    void failuresAreForgottenOnlyAfterAWholeWindowWithoutOne() {
        for (int i = 0; i < 4; i++) {
            throttle.failed("alice", "10.0.0.1");
            clock.set(clock.instant().plus(Duration.ofMinutes(14)));
        }
        throttle.failed("alice", "10.0.0.1");
        assertThat(throttle.wait("alice", "10.0.0.1"))
                .as("a failure every 14 minutes")
                .isPresent();

        clock.set(clock.instant().plus(Duration.ofMinutes(16)));
        throttle.failed("alice", "10.0.0.1");
        assertThat(throttle.wait("alice", "10.0.0.1"))
                .as("after a quiet quarter of an hour")
                .isEmpty();
    }

    @Test
    void aSuccessClearsTheNameButNotTheAddress() {
        for (int i = 0; i < 20; i++) {
            throttle.failed("guess-" + i, "10.0.0.66");
        }
        assertThat(throttle.wait("anyone", "10.0.0.66"))
                .as("twenty failures from one address")
                .isPresent();
        assertThat(throttle.wait("anyone", "10.0.0.7")).isEmpty();

        for (int i = 0; i < 5; i++) {
            throttle.failed("alice", "10.0.0." + i);
        }
        throttle.succeeded("alice");
        assertThat(throttle.wait("alice", "10.0.0.7")).isEmpty();
        assertThat(throttle.wait("alice", "10.0.0.66")).isPresent();
    }

    @Test
    void aNameIsLoggedPrintableAndShort() {
        assertThat(SignInGuard.printable("alice\r\nforged log line")).isEqualTo("'alice??forged log line'");
        assertThat(SignInGuard.printable("x".repeat(500))).hasSize(105);
        assertThat(SignInGuard.printable(null)).isEqualTo("(none)");
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
