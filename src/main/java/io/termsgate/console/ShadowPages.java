package io.termsgate.console;

import io.termsgate.engine.RulesetSource;
import io.termsgate.shadow.ShadowChange;
import io.termsgate.shadow.ShadowReport;
import io.termsgate.shadow.ShadowRuns;
import io.termsgate.web.ApiProblemException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * A challenger in the shadow of live decisions, from the console: start it at a sample rate, stop it, and read its
 * report as a chart of outcome transitions with the same numbers in a table, and the first changed decisions.
 */
@Controller
class ShadowPages {

    private static final Logger log = LoggerFactory.getLogger(ShadowPages.class);
    static final int LISTED = 100;

    private final ShadowRuns runs;

    ShadowPages(ShadowRuns runs) {
        this.runs = runs;
    }

    /** The report's outcome transitions for the page: changed ones first, as in a backtest's. */
    record View(
            ShadowReport report,
            List<BacktestView.Transition> transitions,
            ChartData transitionChart,
            List<ShadowChange> changed) {}

    @GetMapping(RulesetPages.RULESETS + "/{version}/shadow")
    String shadow(@PathVariable String version, Model model, Authentication who) {
        check(version);
        model.addAttribute("version", version);
        model.addAttribute("challenger", runs.challenger().orElse(null));
        runs.report(version).ifPresent(report -> {
            List<BacktestView.Transition> transitions = new ArrayList<>();
            report.transitions().forEach((key, count) -> {
                String[] ends = key.split("->", 2);
                transitions.add(new BacktestView.Transition(ends[0], ends.length > 1 ? ends[1] : "?", count));
            });
            transitions.sort(Comparator.comparing((BacktestView.Transition t) -> !t.isChanged())
                    .thenComparing(t -> -t.count()));
            ChartData chart = ChartData.bar(
                            "Outcome transitions",
                            transitions.stream()
                                    .map(BacktestView.Transition::getLabel)
                                    .toList(),
                            false)
                    .dataset(
                            "decisions",
                            transitions.stream()
                                    .map(t -> t.isChanged() ? "changed" : "unchanged")
                                    .toList(),
                            transitions.stream()
                                    .map(BacktestView.Transition::count)
                                    .toList());
            boolean auditor = Person.of(who).isAuditor(); // customer ids are personal data: auditors only
            model.addAttribute(
                    "report", new View(report, transitions, chart, runs.changes(version, 0, LISTED, auditor)));
        });
        return "console/shadow";
    }

    @PostMapping(RulesetPages.RULESETS + "/{version}/shadow")
    String start(
            @PathVariable String version,
            @RequestParam(required = false) String sampleRate,
            Authentication who,
            RedirectAttributes flash) {
        check(version);
        String back = "redirect:" + RulesetPages.RULESETS + "/" + version + "/shadow";
        BigDecimal rate;
        try {
            rate = sampleRate == null || sampleRate.isBlank() ? BigDecimal.ONE : new BigDecimal(sampleRate.strip());
        } catch (NumberFormatException e) {
            rate = null;
        }
        if (rate == null
                || rate.signum() < 0
                || rate.compareTo(BigDecimal.ONE) > 0
                || rate.stripTrailingZeros().scale() > 4) {
            flash.addFlashAttribute("problem", "The sample rate is a number from 0 to 1, e.g. 0.25 for a quarter.");
            return back;
        }
        try {
            runs.start(version, rate.stripTrailingZeros(), who.getName());
            log.info("Console: {} started {} as the challenger", who.getName(), version);
        } catch (ApiProblemException e) {
            flash.addFlashAttribute("problem", e.problem().getDetail());
        }
        return back;
    }

    @PostMapping(RulesetPages.RULESETS + "/{version}/shadow/stop")
    String stop(@PathVariable String version, Authentication who, RedirectAttributes flash) {
        check(version);
        try {
            runs.stop(version, who.getName());
            log.info("Console: {} stopped the challenger {}", who.getName(), version);
        } catch (ApiProblemException e) {
            flash.addFlashAttribute("problem", e.problem().getDetail());
        }
        return "redirect:" + RulesetPages.RULESETS + "/" + version + "/shadow";
    }

    private static void check(String version) {
        if (!RulesetSource.isVersion(Objects.requireNonNullElse(version, ""))) {
            throw new ConsoleAdvice.NotFound("No stored ruleset version " + version);
        }
    }
}
