package io.termsgate.web;

import java.util.regex.Pattern;

/** The {@code Idempotency-Key} header, as every endpoint that takes one reads it. */
public final class IdempotencyKeys {

    public static final String HEADER = "Idempotency-Key";
    public static final String RULE = "must be 1 to 255 visible ASCII characters (a UUID is a good choice)";
    private static final Pattern KEY = Pattern.compile("[\\x21-\\x7E]{1,255}");

    private IdempotencyKeys() {}

    /** Absent, or well-formed. */
    public static boolean acceptable(String key) {
        return key == null || KEY.matcher(key).matches();
    }
}
