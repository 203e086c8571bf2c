package io.termsgate.engine;

import java.util.Objects;

/**
 * What the delegated-authority table answered for one {@link AuthorityQuestion}: whether that level may approve,
 * how many people of that level must (1, or 2 for four eyes), and by when, in business hours, a case at that level is
 * due.
 *
 * <p>When the table could not answer — a decision failed or came out null, or the question was outside what the
 * table is asked about — the answer is {@link #failed the refusal}: {@code mayApprove} false, no approvers and no
 * deadline, and a short {@code error}. An answer with an error never approves.
 */
public record AuthorityAnswer(boolean mayApprove, int approversNeeded, int dueBusinessHours, String error) {

    public AuthorityAnswer {
        if (error != null && mayApprove) {
            throw new IllegalArgumentException("an answer with an error cannot approve: " + error);
        }
        if (error == null && (approversNeeded < 1 || dueBusinessHours < 1)) {
            throw new IllegalArgumentException("an answer needs at least one approver and a deadline of at least one "
                    + "business hour, not " + approversNeeded + " and " + dueBusinessHours);
        }
    }

    /** The safe answer when the table could not decide: never an approval. */
    public static AuthorityAnswer failed(String error) {
        return new AuthorityAnswer(false, 0, 0, Objects.requireNonNull(error, "error"));
    }

    public boolean isFailed() {
        return error != null;
    }
}
