package io.termsgate.creditapplication;

import io.swagger.v3.oas.annotations.media.Schema;
import java.math.BigDecimal;
import java.util.List;

/**
 * The decision request as published in the API description: exactly the policy's Inputs table. Requests are read
 * by {@link DecisionRequestReader}, which enforces every constraint written here.
 */
@Schema(name = "DecisionRequest", description = "A buyer and the order it wants to pay on terms")
public record DecisionRequestBody(
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED) Customer customer,
        @Schema(requiredMode = Schema.RequiredMode.REQUIRED) Order order) {

    @Schema(name = "DecisionRequestCustomer", additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
    public record Customer(
            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, pattern = "^[A-Za-z0-9._:-]{1,64}$", example = "EX-01")
            String id,

            @Schema(
                    requiredMode = Schema.RequiredMode.REQUIRED,
                    pattern = "^[A-Z]{2}$",
                    description = "ISO 3166-1 alpha-2",
                    example = "DE")
            String country,

            @Schema(
                    requiredMode = Schema.RequiredMode.REQUIRED,
                    allowableValues = {
                        "MANUFACTURING",
                        "WHOLESALE",
                        "RETAIL",
                        "CONSTRUCTION",
                        "HOSPITALITY",
                        "SOFTWARE",
                        "HEALTHCARE",
                        "TRANSPORT",
                        "PUBLIC_SECTOR",
                        "OTHER"
                    })
            String industry,

            @Schema(requiredMode = Schema.RequiredMode.REQUIRED, minimum = "0", maximum = "200")
            BigDecimal yearsInBusiness,

            @Schema(
                    requiredMode = Schema.RequiredMode.REQUIRED,
                    minimum = "0",
                    description = "at most 2 decimal places")
            BigDecimal annualRevenue,

            @Schema(nullable = true, minimum = "0", maximum = "100", description = "absent or null: no bureau file")
            Integer creditScore,

            PaymentHistory paymentHistory,

            @Schema(
                    minimum = "0",
                    description = "at most 2 decimal places; left out: the buyer's latest receivables snapshot plus"
                            + " what was captured since, else 0")
            BigDecimal outstandingBalance,

            @Schema(description = "distinct screening flags; default none")
            List<Flag> flags) {}

    @Schema(name = "DecisionRequestPaymentHistory", additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
    public record PaymentHistory(
            @Schema(minimum = "0", description = SNAPSHOT_OR_ZERO)
            Integer invoicesPaid,

            @Schema(minimum = "0", description = SNAPSHOT_OR_ZERO)
            BigDecimal avgDaysBeyondTerms,

            @Schema(minimum = "0", description = SNAPSHOT_OR_ZERO)
            Integer maxDaysPastDue) {}

    private static final String SNAPSHOT_OR_ZERO = "left out: from the buyer's latest receivables snapshot, else 0";

    @Schema(name = "DecisionRequestOrder", additionalProperties = Schema.AdditionalPropertiesValue.FALSE)
    public record Order(
            @Schema(
                    pattern = "^[A-Za-z0-9._:-]{1,64}$",
                    description = "the seller's order reference: an approval places a hold of the amount on the"
                            + " buyer's credit line; left out, the decision is an assessment and holds nothing",
                    example = "SO-10042")
            String id,

            @Schema(
                    requiredMode = Schema.RequiredMode.REQUIRED,
                    exclusiveMinimum = true,
                    minimum = "0",
                    description = "at most 2 decimal places",
                    example = "25000")
            BigDecimal amount,

            @Schema(
                    requiredMode = Schema.RequiredMode.REQUIRED,
                    pattern = "^[A-Z]{3}$",
                    description = "ISO 4217",
                    example = "EUR")
            String currency,

            @Schema(
                    requiredMode = Schema.RequiredMode.REQUIRED,
                    allowableValues = {"15", "30", "45", "60", "90"})
            Integer requestedTermDays) {}

    public enum Flag {
        SANCTIONS_MATCH,
        BANKRUPTCY,
        COLLECTIONS,
        FRAUD_ALERT,
        /** Dunning blocked the buyer's new orders on terms (the dunning model's Block New Orders). */
        TERMS_SUSPENDED
    }
}
