package io.termsgate.referral;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/** The service's clock, set by the test: deadlines, escalation and expiry without waiting for them. */
public final class SettableClock extends Clock {

    private final AtomicReference<Instant> now;

    public SettableClock(Instant start) {
        this.now = new AtomicReference<>(start);
    }

    /** Moves the clock to {@code at}; never backwards. */
    public void set(Instant at) {
        now.updateAndGet(current -> at.isAfter(current) ? at : current);
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    /** Replaces the service's clock in a Spring test. */
    @TestConfiguration(proxyBeanMethods = false)
    public static class InService {
        @Bean
        @Primary
        SettableClock settableClock() {
            return new SettableClock(Instant.parse("2026-11-30T09:00:00Z"));
        }
    }
}
