package io.termsgate.audit;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;

/**
 * Where a keyset page ends: the sort key of its last item, handed to the client as an opaque token ({@code next}) to
 * come back with as {@code after}. Base64url of {@code d1:<decidedAt>,<seq>} for the decision log, {@code a1:<seq>}
 * for the access log; the version prefix lets the format change without old tokens being misread.
 */
record Cursor(Instant at, long seq) {

    private static final String DECISIONS = "d1:";
    private static final String ACCESS = "a1:";

    /** The cursor after a decision: newest-first order is (decided_at, seq) descending. */
    static String ofDecision(Instant decidedAt, long seq) {
        return encode(DECISIONS + decidedAt + "," + seq);
    }

    /** The cursor after an access log entry: newest-first order is seq descending. */
    static String ofAccess(long seq) {
        return encode(ACCESS + seq);
    }

    /** A decision log cursor, or null when the token is not one this service gave. */
    static Cursor decision(String token) {
        String text = decode(token);
        if (text == null || !text.startsWith(DECISIONS)) {
            return null;
        }
        String[] parts = text.substring(DECISIONS.length()).split(",", -1);
        if (parts.length != 2) {
            return null;
        }
        try {
            long seq = Long.parseLong(parts[1]);
            return seq < 1 ? null : new Cursor(Instant.parse(parts[0]), seq);
        } catch (NumberFormatException | DateTimeParseException e) {
            return null;
        }
    }

    /** An access log cursor (its seq), or null when the token is not one this service gave. */
    static Long access(String token) {
        String text = decode(token);
        if (text == null || !text.startsWith(ACCESS)) {
            return null;
        }
        try {
            long seq = Long.parseLong(text.substring(ACCESS.length()));
            return seq < 1 ? null : seq;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String encode(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String token) {
        if (token == null || token.isEmpty() || token.length() > 200) {
            return null;
        }
        try {
            return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
