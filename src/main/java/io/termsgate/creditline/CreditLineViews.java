package io.termsgate.creditline;

import com.fasterxml.jackson.databind.JsonNode;
import io.termsgate.audit.DecisionLog;
import io.termsgate.audit.DecisionLog.DecisionQuery;
import io.termsgate.audit.DecisionRecord;
import io.termsgate.audit.LoggedDecision;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.stereotype.Component;

/**
 * What a buyer's line and orders look like to those who may read them: the API ({@code CreditLineController}) and the
 * buyer's own page (the console's portal) read the same views from here.
 */
@Component
public class CreditLineViews {

    static final int MAX_HOLDS = 100;

    private final CreditLines creditLines;
    private final DecisionLog decisionLog;
    private final Clock clock;

    CreditLineViews(CreditLines creditLines, DecisionLog decisionLog, Clock clock) {
        this.creditLines = creditLines;
        this.decisionLog = decisionLog;
        this.clock = clock;
    }

    /** The buyer's line, or empty when no decision, hold or receivables are known for it. */
    public Optional<LineView> line(String customerId) {
        Instant now = clock.instant();
        Exposure exposure = creditLines.exposure(customerId, now);
        List<LoggedDecision> latest = decisionLog.search(new DecisionQuery(customerId, null, null, null, null), 0, 1);
        String currency = creditLines.currency(customerId).orElse(null);
        if (latest.isEmpty() && currency == null && exposure.snapshot() == null && exposure.suspension() == null) {
            return Optional.empty();
        }
        BigDecimal limit = BigDecimal.ZERO;
        if (!latest.isEmpty()) {
            JsonNode result = latest.get(0).record().resultTree();
            if (result.hasNonNull("creditLimit")) {
                limit = result.get("creditLimit").decimalValue();
            }
            if (currency == null && result.hasNonNull("currency")) {
                currency = result.get("currency").asText();
            }
        }
        BigDecimal available =
                limit.subtract(exposure.balance()).subtract(exposure.held()).max(BigDecimal.ZERO);
        List<HoldView> holds = creditLines.holds(customerId, MAX_HOLDS).stream()
                .map(h -> HoldView.of(h, now))
                .toList();
        return Optional.of(new LineView(
                customerId,
                currency,
                limit,
                exposure.balance(),
                exposure.held(),
                available,
                holds,
                exposure.snapshot() == null
                        ? null
                        : new LineView.SnapshotView(
                                exposure.snapshot().asOf(), exposure.snapshot().importedAt()),
                exposure.suspension() == null
                        ? null
                        : new LineView.SuspendedView(
                                exposure.suspension().since(),
                                exposure.suspension().byModelCall())));
    }

    /** The buyer's decisions, newest first, as the buyer may see them (see {@link OrderView}). */
    public OrderView.Page orders(String customerId, int page, int size) {
        DecisionQuery query = new DecisionQuery(customerId, null, null, null, null);
        long total = decisionLog.count(query);
        Instant now = clock.instant();
        List<OrderView> items = decisionLog.search(query, page, size).stream()
                .map(d -> order(d.record(), now))
                .toList();
        return new OrderView.Page(items, page, size, total, (total + size - 1) / size);
    }

    private OrderView order(DecisionRecord r, Instant now) {
        JsonNode result = r.resultTree();
        JsonNode request = r.requestTree();
        OrderView.HoldRef hold = null;
        JsonNode placed = r.creditLineTree().path("hold");
        if (placed.hasNonNull("id")) {
            UUID id = UUID.fromString(placed.get("id").asText());
            hold = new OrderView.HoldRef(
                    id,
                    creditLines
                            .hold(r.customerId(), id)
                            .map(h -> HoldView.statusAt(h, now))
                            .orElse(null));
        }
        return new OrderView(
                r.decisionId(),
                r.decidedAt(),
                r.orderId(),
                request.at("/order/amount").decimalValue(),
                result.hasNonNull("currency")
                        ? result.get("currency").asText()
                        : request.at("/order/currency").asText(),
                r.outcome(),
                result.hasNonNull("creditLimit") ? result.get("creditLimit").decimalValue() : null,
                result.hasNonNull("termDays") ? result.get("termDays").asInt() : null,
                hold);
    }
}
