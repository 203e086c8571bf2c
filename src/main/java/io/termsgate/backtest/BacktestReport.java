package io.termsgate.backtest;

import io.swagger.v3.oas.annotations.media.Schema;
import io.termsgate.engine.DecisionMath;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * What a candidate ruleset would have done to the decisions of a window: how many changed (outcome, route, limit,
 * available credit, term or reasons), every outcome and route transition, how limits and terms would have moved,
 * and the list of changed decisions. {@code erased} counts the window's decisions whose customer's personal data was
 * erased: their requests are gone, so they are not replayed (nor in {@code total}).
 */
public record BacktestReport(
        UUID id,
        String rulesetVersion,
        Instant from,
        Instant to,
        long total,
        long changed,
        Map<String, Long> transitions,
        Map<String, Long> routeTransitions,
        Delta creditLimit,
        Delta availableCredit,
        Delta termDays,
        long reasonsChanged,
        long gradeChanged,
        long engineErrors,
        long erased,
        long durationMillis,
        double decisionsPerSecond,
        List<ChangedDecision> changedDecisions) {

    /**
     * This report as an analyst or approver reads it: the aggregates and the changed decisions' ids, without the
     * customer ids (personal data, for auditors only).
     */
    public BacktestReport withoutCustomers() {
        return withoutCustomers(customer -> true);
    }

    /** This report with one customer's id erased from its changed decisions (an erasure request). */
    public BacktestReport withoutCustomer(String customerId) {
        return withoutCustomers(customerId::equals);
    }

    /** This report, the changed decisions of the customers {@code erased} accepts without their customer id. */
    private BacktestReport withoutCustomers(java.util.function.Predicate<String> erased) {
        return new BacktestReport(
                id,
                rulesetVersion,
                from,
                to,
                total,
                changed,
                transitions,
                routeTransitions,
                creditLimit,
                availableCredit,
                termDays,
                reasonsChanged,
                gradeChanged,
                engineErrors,
                this.erased,
                durationMillis,
                decisionsPerSecond,
                changedDecisions.stream()
                        .map(d -> d.customerId() != null && erased.test(d.customerId())
                                ? new ChangedDecision(
                                        d.decisionId(),
                                        d.seq(),
                                        null,
                                        d.decidedAt(),
                                        d.originalRulesetVersion(),
                                        d.original(),
                                        d.replayed(),
                                        d.changedFields())
                                : d)
                        .toList());
    }

    /** As {@code who} may read it: whole for an auditor, {@link #withoutCustomers()} for anyone else. */
    public BacktestReport forReader(boolean auditor) {
        return auditor ? this : withoutCustomers();
    }

    /**
     * How many changed decisions the report lists by default ({@code termsgate.backtest.listed}), the first by seq;
     * {@code changed} counts them all. Only these are kept in memory while a backtest runs; every changed decision is
     * written to the database as it is found (paged by the API, streamed by the CSV export).
     */
    static final int LISTED = 1_000;

    /** How one number moved over all replayed decisions. */
    @Schema(name = "BacktestDelta")
    public record Delta(
            BigDecimal totalBefore,
            BigDecimal totalAfter,
            BigDecimal totalChange,
            long increased,
            long decreased,
            long unchanged,
            BigDecimal largestIncrease,
            BigDecimal largestDecrease,
            Map<String, Long> distribution) {}

    /** A decision the candidate would have decided differently. */
    @Schema(name = "BacktestChangedDecision")
    public record ChangedDecision(
            UUID decisionId,
            long seq,
            String customerId,
            Instant decidedAt,
            String originalRulesetVersion,
            Map<String, Object> original,
            Map<String, Object> replayed,
            List<String> changedFields) {}

    /** Adds up replays; one per worker thread, merged at the end. */
    static final class Tally {
        long total;
        long changed;
        long reasonsChanged;
        long gradeChanged;
        long engineErrors;
        /** Decisions in the window whose customer's personal data was erased: not replayed. */
        long erased;

        final Map<String, Long> transitions = new TreeMap<>();
        final Map<String, Long> routeTransitions = new TreeMap<>();
        final DeltaTally creditLimit = new DeltaTally(DeltaTally.MONEY_EDGES);
        final DeltaTally availableCredit = new DeltaTally(DeltaTally.MONEY_EDGES);
        final DeltaTally termDays = new DeltaTally(null);
        final List<ChangedDecision> changedDecisions = new ArrayList<>();
        /** How many changed decisions this tally keeps, the first by seq. */
        private final int listed;

        Tally() {
            this(LISTED);
        }

        /** A tally that keeps the {@code listed} changed decisions of lowest seq. */
        Tally(int listed) {
            this.listed = listed;
        }

        /** A tally of one page of the log: it keeps every changed decision of the page, to be written out. */
        static Tally ofPage() {
            return new Tally(Integer.MAX_VALUE);
        }

        void merge(Tally other) {
            total += other.total;
            changed += other.changed;
            reasonsChanged += other.reasonsChanged;
            gradeChanged += other.gradeChanged;
            engineErrors += other.engineErrors;
            erased += other.erased;
            other.transitions.forEach((k, v) -> transitions.merge(k, v, Long::sum));
            other.routeTransitions.forEach((k, v) -> routeTransitions.merge(k, v, Long::sum));
            creditLimit.merge(other.creditLimit);
            availableCredit.merge(other.availableCredit);
            termDays.merge(other.termDays);
            changedDecisions.addAll(other.changedDecisions);
            keepListedOnly();
        }

        /**
         * A changed decision; only the {@code listed} of lowest seq are kept (the report lists no more), so a backtest
         * that changes millions of decisions holds {@code listed} of them, while {@link #changed} counts every one.
         */
        void changed(ChangedDecision decision) {
            changed++;
            changedDecisions.add(decision);
            if (changedDecisions.size() > Math.max(2L * listed, 1_000)) {
                keepListedOnly();
            }
        }

        private void keepListedOnly() {
            if (changedDecisions.size() > listed) {
                changedDecisions.sort(Comparator.comparingLong(ChangedDecision::seq));
                changedDecisions.subList(listed, changedDecisions.size()).clear();
            }
        }

        BacktestReport report(UUID id, String version, Instant from, Instant to, long millis) {
            List<ChangedDecision> listed = changedDecisions.stream()
                    .sorted(Comparator.comparingLong(ChangedDecision::seq))
                    .limit(this.listed)
                    .toList();
            return new BacktestReport(
                    id,
                    version,
                    from,
                    to,
                    total,
                    changed,
                    transitions,
                    routeTransitions,
                    creditLimit.delta(),
                    availableCredit.delta(),
                    termDays.delta(),
                    reasonsChanged,
                    gradeChanged,
                    engineErrors,
                    erased,
                    millis,
                    millis == 0 ? total : total * 1000.0 / millis,
                    listed);
        }
    }

    /** The movement of one number: totals, counts, extremes, and a distribution of the changes. */
    static final class DeltaTally {
        static final long[] MONEY_EDGES = {-100_000, -10_000, 0, 10_000, 100_000};
        private final long[] edges;
        BigDecimal before = BigDecimal.ZERO;
        BigDecimal after = BigDecimal.ZERO;
        long increased;
        long decreased;
        long unchanged;
        BigDecimal largestIncrease = BigDecimal.ZERO;
        BigDecimal largestDecrease = BigDecimal.ZERO;
        final Map<String, Long> distribution = new TreeMap<>();

        DeltaTally(long[] edges) {
            this.edges = edges;
        }

        void add(BigDecimal was, BigDecimal is) {
            before = before.add(was);
            after = after.add(is);
            BigDecimal change = is.subtract(was);
            int sign = change.signum();
            if (sign > 0) {
                increased++;
                largestIncrease = largestIncrease.max(change);
            } else if (sign < 0) {
                decreased++;
                largestDecrease = largestDecrease.min(change);
            } else {
                unchanged++;
            }
            if (sign != 0) {
                distribution.merge(bucket(change), 1L, Long::sum);
            }
        }

        /** Money changes fall in ranges; day changes are counted by their exact value. */
        private String bucket(BigDecimal change) {
            if (edges == null) {
                return (change.signum() > 0 ? "+" : "") + change.toPlainString();
            }
            for (int i = 0; i < edges.length; i++) {
                if (change.compareTo(BigDecimal.valueOf(edges[i])) < 0) {
                    return i == 0 ? "below " + edges[0] : "[" + edges[i - 1] + ", " + edges[i] + ")";
                }
            }
            return edges[edges.length - 1] + " and above";
        }

        void merge(DeltaTally other) {
            before = before.add(other.before);
            after = after.add(other.after);
            increased += other.increased;
            decreased += other.decreased;
            unchanged += other.unchanged;
            largestIncrease = largestIncrease.max(other.largestIncrease);
            largestDecrease = largestDecrease.min(other.largestDecrease);
            other.distribution.forEach((k, v) -> distribution.merge(k, v, Long::sum));
        }

        Delta delta() {
            return new Delta(
                    plain(before),
                    plain(after),
                    plain(after.subtract(before)),
                    increased,
                    decreased,
                    unchanged,
                    plain(largestIncrease),
                    plain(largestDecrease),
                    distribution);
        }

        private static BigDecimal plain(BigDecimal value) {
            return DecisionMath.canonical(value);
        }
    }
}
