package io.termsgate.shadow;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A live decision the challenger would have answered differently.
 *
 * @param seq the live decision's place in the decision log (the key of {@code after} paging)
 * @param customerId the buyer, for auditors only (null for other readers, and once the customer is erased)
 * @param live the live answer's result fields; {@code challenger} the challenger's
 * @param changedFields the answer's fields that differ: outcome, approvalRoute, creditLimit, availableCredit,
 *     termDays, reasons
 */
public record ShadowChange(
        UUID decisionId,
        long seq,
        Instant decidedAt,
        String customerId,
        String liveRulesetVersion,
        List<String> changedFields,
        Map<String, Object> live,
        Map<String, Object> challenger) {}
