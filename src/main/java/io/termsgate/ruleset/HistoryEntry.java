package io.termsgate.ruleset;

import java.time.Instant;

/** One step in a ruleset version's history: what happened, by whom, when, and from which version. */
public record HistoryEntry(
        long id, String version, Event event, String actor, Instant at, String fromVersion, String detail) {

    /** What happened to a version. */
    public enum Event {
        UPLOADED,
        LOADED,
        APPROVED,
        ACTIVATED,
        RETIRED
    }
}
