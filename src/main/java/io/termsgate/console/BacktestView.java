package io.termsgate.console;

import io.termsgate.backtest.BacktestReport;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A backtest report for the page: outcome transitions (changed ones first), the shifts of credit limits and terms
 * as distributions, each with a chart and a table of the same numbers, and the changed decisions.
 */
record BacktestView(
        BacktestReport report,
        List<Transition> transitions,
        ChartData transitionChart,
        List<Bucket> limitShifts,
        ChartData limitChart,
        List<Bucket> termShifts,
        ChartData termChart,
        List<Changed> changed) {

    /** How many decisions went from one outcome to another (the same outcome: unchanged). */
    record Transition(String from, String to, long count) {

        public boolean isChanged() {
            return !from.equals(to);
        }

        public String getLabel() {
            return from + " → " + to;
        }
    }

    /** A range of changes and how many decisions moved by that much. */
    record Bucket(String range, long count) {}

    /** A changed decision: its fields before and after, the changed ones named. */
    record Changed(
            BacktestReport.ChangedDecision decision,
            String outcomeBefore,
            String outcomeAfter,
            String routeBefore,
            String routeAfter,
            String limitBefore,
            String limitAfter,
            String termBefore,
            String termAfter,
            String reasonsBefore,
            String reasonsAfter) {}

    private static final Pattern NUMBER = Pattern.compile("[-+]?\\d+(\\.\\d+)?");

    static BacktestView of(BacktestReport report) {
        List<Transition> transitions = new ArrayList<>();
        report.transitions().forEach((key, count) -> {
            String[] ends = key.split("->", 2);
            transitions.add(new Transition(ends[0], ends.length > 1 ? ends[1] : "?", count));
        });
        transitions.sort(Comparator.comparing((Transition t) -> !t.isChanged()).thenComparing(t -> -t.count()));
        ChartData transitionChart = ChartData.bar(
                        "Outcome transitions",
                        transitions.stream().map(Transition::getLabel).toList(),
                        false)
                .dataset(
                        "decisions",
                        transitions.stream()
                                .map(t -> t.isChanged() ? "changed" : "unchanged")
                                .toList(),
                        transitions.stream().map(Transition::count).toList());
        List<Bucket> limits = buckets(report.creditLimit().distribution());
        List<Bucket> terms = buckets(report.termDays().distribution());
        List<Changed> changed = report.changedDecisions().stream()
                .map(d -> new Changed(
                        d,
                        text(d.original().get("outcome")),
                        text(d.replayed().get("outcome")),
                        text(d.original().get("approvalRoute")),
                        text(d.replayed().get("approvalRoute")),
                        Formats.INSTANCE.amount(d.original().get("creditLimit")),
                        Formats.INSTANCE.amount(d.replayed().get("creditLimit")),
                        text(d.original().get("termDays")),
                        text(d.replayed().get("termDays")),
                        reasons(d.original().get("reasons")),
                        reasons(d.replayed().get("reasons"))))
                .toList();
        return new BacktestView(
                report,
                transitions,
                transitionChart,
                limits,
                shiftChart("Credit limit changes", limits),
                terms,
                shiftChart("Term changes (days)", terms),
                changed);
    }

    private static ChartData shiftChart(String title, List<Bucket> buckets) {
        return ChartData.bar(title, buckets.stream().map(Bucket::range).toList(), false)
                .dataset(
                        "decisions",
                        buckets.stream()
                                .map(b -> lowerBound(b.range()).signum() < 0 ? "down" : "up")
                                .toList(),
                        buckets.stream().map(Bucket::count).toList());
    }

    /** Buckets in numeric order: "below -100000", "[-10000, 0)", ..., "100000 and above"; "-15", "+30". */
    private static List<Bucket> buckets(Map<String, Long> distribution) {
        return distribution.entrySet().stream()
                .sorted(Comparator.comparing(e -> lowerBound(e.getKey())))
                .map(e -> new Bucket(e.getKey(), e.getValue()))
                .toList();
    }

    private static BigDecimal lowerBound(String range) {
        Matcher number = NUMBER.matcher(range);
        if (!number.find()) {
            return BigDecimal.ZERO;
        }
        BigDecimal value = new BigDecimal(number.group().replace("+", ""));
        // "below -100000" lies under -100000 itself
        return range.startsWith("below") ? value.subtract(BigDecimal.ONE) : value;
    }

    private static String text(Object value) {
        return value == null ? "—" : value instanceof BigDecimal b ? b.toPlainString() : value.toString();
    }

    private static String reasons(Object value) {
        if (value instanceof List<?> list) {
            return list.isEmpty()
                    ? "none"
                    : String.join(" ", list.stream().map(Objects::toString).toList());
        }
        return text(value);
    }
}
