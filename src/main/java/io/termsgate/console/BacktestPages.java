package io.termsgate.console;

import io.termsgate.backtest.BacktestRunner;
import io.termsgate.engine.RulesetSource;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.UUID;
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
 * Backtests from the console: start one over a window, watch its progress, read its report as charts (outcome
 * transitions, limit and term shifts) and a table of the decisions that would change.
 */
@Controller
class BacktestPages {

    private static final Logger log = LoggerFactory.getLogger(BacktestPages.class);

    private final BacktestRunner backtests;

    BacktestPages(BacktestRunner backtests) {
        this.backtests = backtests;
    }

    @PostMapping(RulesetPages.RULESETS + "/{version}/backtests")
    String start(
            @PathVariable String version,
            @RequestParam(required = false) String from,
            @RequestParam(required = false) String to,
            Authentication who,
            RedirectAttributes flash) {
        String back = "redirect:" + RulesetPages.RULESETS + "/" + version;
        if (!RulesetSource.isVersion(version)) {
            throw new ConsoleAdvice.NotFound("No stored ruleset version " + version);
        }
        Instant start;
        Instant end;
        try {
            start = Formats.parse(from);
            end = Formats.parse(to);
        } catch (DateTimeParseException e) {
            flash.addFlashAttribute(
                    "problem", "The window's times must be dates and times in UTC, e.g. " + "2026-11-22T10:00:00");
            return back + "#backtest";
        }
        if (start != null && end != null && !start.isBefore(end)) {
            flash.addFlashAttribute("problem", "The window must end after it starts.");
            return back + "#backtest";
        }
        BacktestRunner.Backtest backtest = backtests
                .start(version, start, end, who.getName())
                .orElseThrow(() -> new ConsoleAdvice.NotFound("No stored ruleset version " + version));
        log.info("Console: {} started backtest {} of {}", who.getName(), backtest.id(), version);
        return "redirect:" + location(version, backtest.id());
    }

    @GetMapping(RulesetPages.RULESETS + "/{version}/backtests/{id}")
    String backtest(@PathVariable String version, @PathVariable String id, Model model, Authentication who) {
        BacktestRunner.Backtest backtest = find(version, id);
        model.addAttribute("backtest", backtest);
        if (backtest.status().equals("DONE")) {
            boolean auditor = Person.of(who).isAuditor(); // customer ids are personal data: auditors only
            backtests
                    .report(backtest.id())
                    .map(r -> BacktestView.of(r.forReader(auditor)))
                    .ifPresent(view -> model.addAttribute("report", view));
        }
        return "console/backtest";
    }

    /** Polled by the page while the backtest runs; once it is done the page reloads itself to show the report. */
    @GetMapping(RulesetPages.RULESETS + "/{version}/backtests/{id}/progress")
    String progress(@PathVariable String version, @PathVariable String id, Model model, HttpServletResponse response) {
        BacktestRunner.Backtest backtest = find(version, id);
        if (!backtest.status().equals("RUNNING")) {
            response.setHeader("HX-Refresh", "true");
        }
        model.addAttribute("backtest", backtest);
        return "console/backtest :: progress";
    }

    private BacktestRunner.Backtest find(String version, String id) {
        UUID uuid;
        try {
            uuid = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new ConsoleAdvice.NotFound("A backtest id is a UUID, not " + id);
        }
        return backtests
                .find(uuid)
                .filter(b -> b.rulesetVersion().equals(version))
                .orElseThrow(() -> new ConsoleAdvice.NotFound("No backtest " + id + " of " + version));
    }

    static String location(String version, UUID id) {
        return RulesetPages.RULESETS + "/" + version + "/backtests/" + id;
    }
}
