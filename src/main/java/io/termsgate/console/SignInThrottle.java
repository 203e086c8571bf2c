package io.termsgate.console;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;

/**
 * Counts failed sign-ins per name and per client address and says how long the next try must wait: nothing until
 * the failures reach their limit, then the first delay, doubling with each further failure up to the longest delay
 * (see {@link SignInProperties}). The count starts again only after a whole window without a failure. A success clears the name's count, never the
 * address's: one valid account must not reset guessing at the others from the same address.
 *
 * <p>Held in memory, per instance: behind several instances each throttles on its own, which still bounds guessing.
 */
@Component
class SignInThrottle {

    /** Beyond this many names and addresses tracked, the stale ones are forgotten first. */
    static final int MAX_TRACKED = 100_000;

    private final SignInProperties settings;
    private final Clock clock;
    private final Map<String, Failures> byKey = new ConcurrentHashMap<>();

    SignInThrottle(SignInProperties settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    /** How long a try for this name from this address must still wait; empty when it may go ahead. */
    Optional<Duration> wait(String name, String address) {
        Instant now = clock.instant();
        Duration byName = waitOf(nameKey(name), now);
        Duration byAddress = waitOf(addressKey(address), now);
        Duration longer = byName.compareTo(byAddress) >= 0 ? byName : byAddress;
        return longer.isZero() ? Optional.empty() : Optional.of(longer);
    }

    /** A failed sign-in; answers the failures now counted for the name within the window. */
    int failed(String name, String address) {
        Instant now = clock.instant();
        if (byKey.size() >= MAX_TRACKED) {
            forgetStale(now);
        }
        failuresOf(addressKey(address)).failed(now, settings.failuresPerAddress());
        return failuresOf(nameKey(name)).failed(now, settings.failuresPerName());
    }

    void succeeded(String name) {
        byKey.remove(nameKey(name));
    }

    private Duration waitOf(String key, Instant now) {
        Failures failures = byKey.get(key);
        return failures == null ? Duration.ZERO : failures.wait(now);
    }

    private Failures failuresOf(String key) {
        return byKey.computeIfAbsent(key, k -> new Failures());
    }

    private void forgetStale(Instant now) {
        byKey.values().removeIf(failures -> failures.isStale(now));
        if (byKey.size() >= MAX_TRACKED) { // a flood of fresh names: forget rather than grow without bound
            byKey.clear();
        }
    }

    private static String nameKey(String name) {
        String given = name == null ? "" : name.strip();
        return "name:" + (given.length() > 100 ? given.substring(0, 100) : given);
    }

    private static String addressKey(String address) {
        return "address:" + address;
    }

    /** Failures count until a whole window passes without one: waiting out a delay never resets the count. */
    private final class Failures {
        private int count;
        private Instant last = Instant.MIN;
        private Instant refusedUntil = Instant.MIN;

        synchronized int failed(Instant now, int limit) {
            forgetIfQuiet(now);
            count++;
            last = now;
            int beyond = count - limit;
            if (beyond >= 0) {
                Duration delay = settings.firstDelay().multipliedBy(1L << Math.min(beyond, 30));
                refusedUntil = now.plus(delay.compareTo(settings.maxDelay()) > 0 ? settings.maxDelay() : delay);
            }
            return count;
        }

        synchronized Duration wait(Instant now) {
            return now.isBefore(refusedUntil) ? Duration.between(now, refusedUntil) : Duration.ZERO;
        }

        synchronized boolean isStale(Instant now) {
            forgetIfQuiet(now);
            return count == 0 && !now.isBefore(refusedUntil);
        }

        private void forgetIfQuiet(Instant now) {
            if (count > 0 && last.isBefore(now.minus(settings.window()))) {
                count = 0;
            }
        }
    }
}
