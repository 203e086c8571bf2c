package io.termsgate.audit;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;
import java.util.UUID;

/**
 * What a walk of the hash chain found over a window of decision times.
 *
 * @param checked how many records were verified
 * @param firstSeq the first record checked, or null when none
 * @param lastSeq the last record checked, or null when none
 * @param firstBrokenLink null when every link holds
 */
@Schema(name = "ChainReport")
public record ChainReport(
        Instant from,
        Instant to,
        long checked,
        Long firstSeq,
        Long lastSeq,
        boolean valid,
        BrokenLink firstBrokenLink) {

    /** Where the chain breaks: the record (by seq and id, when it exists) and why. */
    @Schema(name = "BrokenLink")
    public record BrokenLink(long seq, UUID decisionId, String reason) {}
}
