package io.termsgate.decisionservice;

import jakarta.validation.constraints.NotBlank;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Which model's calls for a customer suspend or lift the customer's terms (docs/dunning-policy.md): a call of
 * {@code model} (or one of its decision services) with {@code ?customerId=} whose {@code decision} is true suspends
 * them, false lifts a suspension. The policy itself stays in the model's tables.
 */
@Validated
@ConfigurationProperties("termsgate.models.suspends-terms")
record SuspendsTermsProperties(
        @DefaultValue("dunning") @NotBlank String model,
        @DefaultValue("Block New Orders") @NotBlank String decision) {}
