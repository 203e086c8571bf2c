package io.termsgate.creditline;

import io.termsgate.creditapplication.DecisionRequestReader.Requested;
import io.termsgate.engine.ApplicationField;
import io.termsgate.engine.CreditApplication;
import io.termsgate.receivables.ReceivablesSnapshot;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a decision sees of its buyer's credit line, and so what the policy is told: the balance (from the request, or
 * the latest receivables snapshot plus what was captured after it), the payment history the request left out (from
 * the snapshot), and the open holds of the buyer's other orders. Written into the decision's log record, so that an
 * auditor sees why credit was short and a replay evaluates exactly what the policy saw.
 *
 * @param currency the line's currency, or null when the buyer has no line yet
 * @param capturedSinceSnapshot captures after the snapshot's as-of time (all captures when there is no snapshot)
 * @param holds the open holds of the buyer's other orders at decision time (the record lists the first
 *     {@value #LISTED_HOLDS} and a digest of all)
 * @param fromSnapshot the fields the request left out and the snapshot filled in
 * @param suspension the buyer's terms suspended by dunning, or null: the policy is told {@value #TERMS_SUSPENDED}
 */
public record Exposure(
        String currency,
        BigDecimal balance,
        BalanceSource balanceSource,
        ReceivablesSnapshot snapshot,
        BigDecimal capturedSinceSnapshot,
        List<Hold> holds,
        BigDecimal held,
        Set<ApplicationField> fromSnapshot,
        LineState.Suspension suspension) {

    /** Where the balance the policy saw came from. */
    public enum BalanceSource {
        /** the request's {@code customer.outstandingBalance} */
        REQUEST,
        /** the latest receivables snapshot, plus captures after its as-of time */
        SNAPSHOT,
        /** no snapshot: the captures of the buyer's holds */
        CAPTURES,
        /** nothing known: 0 */
        NONE
    }

    /** The fields a receivables snapshot may fill in when a request leaves them out. */
    static final List<ApplicationField> FROM_RECEIVABLES = List.of(
            ApplicationField.INVOICES_PAID,
            ApplicationField.AVG_DAYS_BEYOND_TERMS,
            ApplicationField.MAX_DAYS_PAST_DUE,
            ApplicationField.OUTSTANDING_BALANCE);

    /** The customer flag the policy sees while the buyer's terms are suspended by dunning (rule K9 refers). */
    public static final String TERMS_SUSPENDED = "TERMS_SUSPENDED";

    public Exposure {
        holds = List.copyOf(holds);
        fromSnapshot = Set.copyOf(fromSnapshot);
    }

    /** Does the decision need the buyer's receivables snapshot: did the request leave out a field it fills in? */
    static boolean needsSnapshot(Requested requested) {
        return FROM_RECEIVABLES.stream().anyMatch(field -> !requested.gave(field));
    }

    /** What the decision sees of a line in {@code state}, for {@code requested} (null: the line as it stands). */
    static Exposure of(LineState state, Requested requested) {
        String orderId =
                requested == null ? null : requested.application().order().getId();
        List<Hold> others = state.openHolds().stream()
                .filter(h -> !h.orderId().equals(orderId))
                .toList();
        BigDecimal held = others.stream().map(Hold::amount).reduce(BigDecimal.ZERO, BigDecimal::add);
        ReceivablesSnapshot snapshot = state.snapshot();
        Set<ApplicationField> fromSnapshot = new LinkedHashSet<>();
        BigDecimal balance;
        BalanceSource source;
        if (requested != null && requested.gave(ApplicationField.OUTSTANDING_BALANCE)) {
            balance = requested.application().customer().getOutstandingBalance();
            source = BalanceSource.REQUEST;
        } else if (snapshot != null) {
            balance = snapshot.outstandingBalance().add(state.capturedSinceSnapshot());
            source = BalanceSource.SNAPSHOT;
            fromSnapshot.add(ApplicationField.OUTSTANDING_BALANCE);
        } else if (state.capturedSinceSnapshot().signum() > 0) {
            balance = state.capturedSinceSnapshot();
            source = BalanceSource.CAPTURES;
        } else {
            balance = BigDecimal.ZERO;
            source = BalanceSource.NONE;
        }
        if (snapshot != null) {
            for (ApplicationField field : FROM_RECEIVABLES) {
                if (field != ApplicationField.OUTSTANDING_BALANCE
                        && (requested == null || !requested.gave(field))
                        && snapshotValue(snapshot, field) != null) {
                    fromSnapshot.add(field);
                }
            }
        }
        return new Exposure(
                state.currency(),
                balance,
                source,
                snapshot,
                state.capturedSinceSnapshot(),
                others,
                held,
                fromSnapshot,
                state.suspension());
    }

    /** The application the policy evaluates: the request, with the balance, the held amount and the history here. */
    CreditApplication applyTo(CreditApplication requested) {
        Map<ApplicationField, Object> values = new EnumMap<>(ApplicationField.class);
        for (ApplicationField field : ApplicationField.values()) {
            values.put(field, field.of(requested));
        }
        values.put(ApplicationField.OUTSTANDING_BALANCE, balance);
        values.put(ApplicationField.HELD_AMOUNT, held);
        for (ApplicationField field : fromSnapshot) {
            if (field != ApplicationField.OUTSTANDING_BALANCE) {
                values.put(field, snapshotValue(snapshot, field));
            }
        }
        if (suspension != null) {
            // set by termsgate from the line, not by the caller: the record's request carries it, so a replay sees it
            @SuppressWarnings("unchecked")
            Set<String> flags = new LinkedHashSet<>((java.util.Collection<String>) values.get(ApplicationField.FLAGS));
            flags.add(TERMS_SUSPENDED);
            values.put(ApplicationField.FLAGS, List.copyOf(flags));
        }
        return ApplicationField.application(values::get);
    }

    private static Object snapshotValue(ReceivablesSnapshot snapshot, ApplicationField field) {
        return switch (field) {
            case INVOICES_PAID -> snapshot.invoicesPaid();
            case AVG_DAYS_BEYOND_TERMS -> snapshot.avgDaysBeyondTerms();
            case MAX_DAYS_PAST_DUE -> snapshot.maxDaysPastDue();
            case OUTSTANDING_BALANCE -> snapshot.outstandingBalance();
            default -> throw new IllegalArgumentException(field.path() + " does not come from receivables");
        };
    }

    /**
     * This exposure as the decision's record keeps it, with the hold the decision replaced and the one it placed
     * (either may be null); the log writes it canonically.
     */
    Map<String, Object> json(Hold replaced, Hold placed) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("currency", currency);
        json.put("balance", balance);
        json.put("balanceSource", balanceSource.name());
        if (snapshot == null) {
            json.put("snapshot", null);
        } else {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("id", snapshot.id().toString());
            s.put("asOf", snapshot.asOf().toString());
            s.put("importedAt", snapshot.importedAt().toString());
            s.put("outstandingBalance", snapshot.outstandingBalance());
            json.put("snapshot", s);
        }
        json.put("capturedSinceSnapshot", capturedSinceSnapshot);
        json.put(
                "fromSnapshot",
                FROM_RECEIVABLES.stream()
                        .filter(fromSnapshot::contains)
                        .map(ApplicationField::path)
                        .toList());
        json.put("held", held);
        // which holds were counted: all of them by digest (SHA-256 over "id amount" lines, sorted by id), and the
        // first ones by name, so a busy buyer's thousands of open holds do not make every record grow with them
        json.put("holdCount", holds.size());
        json.put("holdsSha256", digest(holds));
        List<Map<String, Object>> seen = new ArrayList<>();
        holds.stream().limit(LISTED_HOLDS).forEach(h -> seen.add(hold(h)));
        json.put("holds", seen);
        if (suspension != null) {
            // read under the line's lock like the rest: why the policy was told TERMS_SUSPENDED
            Map<String, Object> suspended = new LinkedHashMap<>();
            suspended.put("since", suspension.since().toString());
            suspended.put("byModelCall", suspension.byModelCall().toString());
            json.put("termsSuspended", suspended);
        }
        json.put("replacedHold", replaced == null ? null : hold(replaced));
        json.put("hold", placed == null ? null : hold(placed));
        return json;
    }

    /** How many of the holds a record lists by name; all of them are in its digest. */
    static final int LISTED_HOLDS = 50;

    /** SHA-256 over one "id amount" line per hold, sorted by id: an auditor recomputes it from the hold ledger. */
    static String digest(List<Hold> holds) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            holds.stream()
                    .sorted(java.util.Comparator.comparing(h -> h.id().toString()))
                    .forEach(h -> sha256.update(
                            (h.id() + " " + h.amount().toPlainString() + "\n").getBytes(StandardCharsets.US_ASCII)));
            return HexFormat.of().formatHex(sha256.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, Object> hold(Hold h) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", h.id().toString());
        json.put("orderId", h.orderId());
        json.put("amount", h.amount());
        json.put("expiresAt", h.expiresAt().toString());
        return json;
    }
}
