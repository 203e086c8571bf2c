package io.termsgate.audit;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Signed checkpoints of the decision log outside the database (docs/audit.md).
 *
 * @param signingKey the Ed25519 private key (PEM, PKCS#8): the PEM text itself or a file path; unset, the embedded
 *        default generates one beside the checkpoint directory, and the prod profile refuses to start
 * @param checkpoints when and where checkpoints are written
 */
@Validated
@ConfigurationProperties("termsgate.audit")
record CheckpointProperties(
        String signingKey, @Valid @DefaultValue Checkpoints checkpoints) {

    /**
     * @param every a checkpoint once the head has moved this many records past the last one
     * @param interval and at least this often while the head moves
     * @param pollInterval how often the head is read
     * @param dir where the checkpoint files are appended (one per UTC day)
     * @param instanceId this instance's name in its checkpoints; empty: the host name
     */
    record Checkpoints(
            @DefaultValue("1000") @Min(1) long every,
            @DefaultValue("1m") Duration interval,
            @DefaultValue("1s") Duration pollInterval,
            @DefaultValue("./data/checkpoints") Path dir,
            @Pattern(regexp = "[A-Za-z0-9._:-]{1,64}") String instanceId) {}
}
