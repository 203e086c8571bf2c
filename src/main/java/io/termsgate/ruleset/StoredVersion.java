package io.termsgate.ruleset;

import java.time.Instant;

/** A stored ruleset version, without its files: where it stands in the lifecycle, and who moved it there when. */
public record StoredVersion(
        String version,
        Status status,
        Instant storedAt,
        String storedBy,
        String origin,
        int fileCount,
        String baseVersion,
        String approvedBy,
        Instant approvedAt,
        String activatedBy,
        Instant activatedAt,
        String warningsJson,
        String scenariosJson,
        Boolean scenariosPassed) {

    /** Where a version stands. */
    public enum Status {
        CANDIDATE,
        APPROVED,
        ACTIVE,
        RETIRED
    }
}
