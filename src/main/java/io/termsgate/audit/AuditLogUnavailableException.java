package io.termsgate.audit;

/** The decision could not be committed to the log in time: nothing may be answered as decided. */
public class AuditLogUnavailableException extends RuntimeException {

    public AuditLogUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
