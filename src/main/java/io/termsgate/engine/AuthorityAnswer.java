package io.termsgate.engine;

/** What the delegated-authority table answered. */
public record AuthorityAnswer(boolean mayApprove, int approversNeeded, int dueBusinessHours, String error) {}
