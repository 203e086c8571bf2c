package io.termsgate.decision;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * Decision ids are UUIDv7 (RFC 9562): 48 bits of Unix milliseconds, then a 12-bit counter that keeps ids from one
 * instance strictly increasing within a millisecond, then 62 random bits. Sorting ids sorts decisions by time.
 */
@Component
class DecisionIds {

    private final SecureRandom random = new SecureRandom();
    private long lastMillis = -1;
    private int counter;

    public synchronized UUID next(Instant at) {
        long millis = Math.max(at.toEpochMilli(), lastMillis);
        if (millis == lastMillis) {
            counter++;
            if (counter > 0xFFF) { // 4096 ids in one millisecond: borrow the next millisecond
                millis++;
                counter = random.nextInt(0x800);
            }
        } else {
            counter = random.nextInt(0x800); // start low so the counter has room to grow
        }
        lastMillis = millis;
        long msb = (millis << 16) | 0x7000L | counter;
        long lsb = (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(msb, lsb);
    }
}
