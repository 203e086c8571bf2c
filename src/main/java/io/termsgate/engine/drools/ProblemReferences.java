package io.termsgate.engine.drools;

import java.util.UUID;
import org.slf4j.Logger;

/**
 * What an analyst is told when a library fails in a way that only an engineer can read: a short reference that the
 * service log carries beside the whole exception. No exception message, generated code or stack trace goes into an
 * answer; those can hold the service's internals and whatever rule code chose to put in them.
 */
final class ProblemReferences {

    private static final int MAX_MESSAGE = 300;

    private ProblemReferences() {}

    /** Logs {@code failure} under a new reference and returns the reference. */
    static String logged(Logger log, String what, Throwable failure) {
        String reference = UUID.randomUUID().toString().substring(0, 8);
        log.error("{} [reference {}]", what, reference, failure);
        return reference;
    }

    /**
     * A compiler message fit to show: its first line, without generated Java or stack frames, and at most a few
     * hundred characters.
     */
    static String clean(String message) {
        if (message == null) {
            return "";
        }
        String first = message.strip().lines().findFirst().orElse("").strip();
        int frame = first.indexOf("\tat ");
        if (frame >= 0) {
            first = first.substring(0, frame).strip();
        }
        return first.length() > MAX_MESSAGE ? first.substring(0, MAX_MESSAGE - 3) + "..." : first;
    }
}
