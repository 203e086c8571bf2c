package io.termsgate.console;

import io.termsgate.audit.DecisionLog;
import io.termsgate.engine.ApprovalRoute;
import io.termsgate.engine.Outcome;
import io.termsgate.referral.ReferralStatus;
import io.termsgate.referral.Referrals;
import io.termsgate.ruleset.ActiveRuleset;
import io.termsgate.ruleset.RulesetLifecycle;
import io.termsgate.ruleset.StoredVersion;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;

/** Signing in, the overview for the head of credit, and the page that says no. */
@Controller
class ConsolePages {

    static final int HOURS = 24;

    private final DecisionLog decisionLog;
    private final RulesetLifecycle rulesets;
    private final ActiveRuleset active;
    private final Clock clock;
    private final ConsoleUsers users;
    private final Referrals referrals;

    ConsolePages(
            DecisionLog decisionLog,
            RulesetLifecycle rulesets,
            ActiveRuleset active,
            Clock clock,
            ConsoleUsers users,
            Referrals referrals) {
        this.users = users;
        this.referrals = referrals;
        this.decisionLog = decisionLog;
        this.rulesets = rulesets;
        this.active = active;
        this.clock = clock;
    }

    @GetMapping(ConsoleSecurityConfig.LOGIN)
    String login(Model model) {
        model.addAttribute("demoPeople", users.demoNames(false));
        return "console/login";
    }

    /** The decisions of the last 24 hours, hour by hour and by outcome, and what is live since when. */
    record Overview(
            Instant from,
            Instant to,
            long total,
            long approved,
            long referred,
            long declined,
            Double approvalRate,
            ChartData chart,
            List<HourRow> hours) {}

    record HourRow(Instant from, long approved, long referred, long declined) {}

    /** The referral queue of one level: its open cases, and how many of them are past their deadline. */
    record QueueTile(ApprovalRoute level, long open, long overdue) {}

    @GetMapping(ConsoleSecurityConfig.HOME)
    String overview(Authentication who, Model model) {
        if (Person.of(who).isReferralReader()) {
            model.addAttribute(
                    "queues",
                    ReferralPages.LEVELS.stream()
                            .map(level -> new QueueTile(
                                    level,
                                    referrals.count(ReferralStatus.OPEN, level, null),
                                    referrals.countOverdue(level)))
                            .toList());
        }
        Instant to = clock.instant().truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(1));
        Instant from = to.minus(Duration.ofHours(HOURS));
        List<HourRow> hours = new ArrayList<>();
        Map<Outcome, Long> totals = new EnumMap<>(Outcome.class);
        for (int h = 0; h < HOURS; h++) {
            Instant start = from.plus(Duration.ofHours(h));
            Map<Outcome, Long> counts = new EnumMap<>(Outcome.class);
            for (Outcome outcome : Outcome.values()) {
                long n = decisionLog.count(new DecisionLog.DecisionQuery(
                        null, start, start.plus(Duration.ofHours(1)), outcome.name(), null));
                counts.put(outcome, n);
                totals.merge(outcome, n, Long::sum);
            }
            hours.add(new HourRow(
                    start, counts.get(Outcome.APPROVED), counts.get(Outcome.REFERRED), counts.get(Outcome.DECLINED)));
        }
        long total = totals.values().stream().mapToLong(Long::longValue).sum();
        ChartData chart = ChartData.bar(
                        "Decisions per hour by outcome (UTC)",
                        hours.stream()
                                .map(h -> Formats.INSTANCE.time(h.from()).substring(11, 16))
                                .toList(),
                        true)
                .dataset(
                        "APPROVED",
                        "approved",
                        hours.stream().map(HourRow::approved).toList())
                .dataset(
                        "REFERRED",
                        "referred",
                        hours.stream().map(HourRow::referred).toList())
                .dataset(
                        "DECLINED",
                        "declined",
                        hours.stream().map(HourRow::declined).toList());
        model.addAttribute(
                "overview",
                new Overview(
                        from,
                        to,
                        total,
                        totals.get(Outcome.APPROVED),
                        totals.get(Outcome.REFERRED),
                        totals.get(Outcome.DECLINED),
                        total == 0 ? null : (double) totals.get(Outcome.APPROVED) / total,
                        chart,
                        hours));
        String live = active.current().version();
        model.addAttribute("live", rulesets.find(live).orElse(null));
        model.addAttribute(
                "awaiting",
                rulesets.versions().stream()
                        .filter(v -> v.status() == StoredVersion.Status.CANDIDATE
                                || v.status() == StoredVersion.Status.APPROVED)
                        .toList());
        return "console/overview";
    }

    /** Where Spring Security forwards a refusal (a missing role, or a form without its CSRF token). */
    @RequestMapping(ConsoleSecurityConfig.DENIED)
    String denied(HttpServletRequest request, HttpServletResponse response, Model model) {
        Refusals.denied(request, response, model, "Your roles do not allow this page or action.");
        return "console/error";
    }
}
