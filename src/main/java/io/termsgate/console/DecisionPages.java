package io.termsgate.console;

import io.termsgate.audit.AccessLog;
import io.termsgate.audit.AuditQueries;
import io.termsgate.audit.ChainReport;
import io.termsgate.audit.DecisionLog;
import io.termsgate.audit.LoggedDecision;
import io.termsgate.audit.Replays;
import io.termsgate.engine.FieldRule;
import io.termsgate.engine.Outcome;
import io.termsgate.engine.RulesetSource;
import io.termsgate.ruleset.RulesetLifecycle;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The auditors' pages: search the decision log and export a search as CSV, read a decision with its reasons and
 * trace, replay it (under its own version, or another for a what-if), and verify the hash chain.
 */
@Controller
class DecisionPages {

    private static final Logger log = LoggerFactory.getLogger(DecisionPages.class);
    static final String DECISIONS = ConsoleSecurityConfig.HOME + "/decisions";
    static final String VERIFY = ConsoleSecurityConfig.HOME + "/audit/verify";
    static final int PAGE_SIZE = 25;

    private final DecisionLog decisionLog;
    private final Replays replays;
    private final AuditQueries audit;
    private final RulesetLifecycle rulesets;
    private final DmnRules dmnRules;
    private final AccessLog accessLog;

    DecisionPages(
            DecisionLog decisionLog,
            Replays replays,
            AuditQueries audit,
            RulesetLifecycle rulesets,
            DmnRules dmnRules,
            AccessLog accessLog) {
        this.decisionLog = decisionLog;
        this.accessLog = accessLog;
        this.replays = replays;
        this.audit = audit;
        this.rulesets = rulesets;
        this.dmnRules = dmnRules;
    }

    /** The search form as typed; every field optional. */
    record Search(String customerId, String from, String to, String outcome, String rulesetVersion, String page) {

        /** The same search as query parameters, for the export link and the pages of results. */
        public String query(Integer otherPage) {
            UriComponentsBuilder query = UriComponentsBuilder.newInstance();
            add(query, "customerId", customerId);
            add(query, "from", from);
            add(query, "to", to);
            add(query, "outcome", outcome);
            add(query, "rulesetVersion", rulesetVersion);
            if (otherPage != null && otherPage > 0) {
                query.queryParam("page", otherPage);
            }
            String text = query.encode().build().toUriString();
            return text.isEmpty() ? "" : text;
        }

        public String getExportQuery() {
            return query(null);
        }

        /** The page of results asked for, from 0; anything that is not a page number is the first page. */
        public int getPageNumber() {
            try {
                return page == null ? 0 : Math.max(0, Math.min(Integer.parseInt(page.strip()), 1_000_000));
            } catch (NumberFormatException e) {
                return 0;
            }
        }

        private static void add(UriComponentsBuilder query, String name, String value) {
            if (value != null && !value.isBlank()) {
                query.queryParam(name, value.strip());
            }
        }
    }

    /** One line of the results. */
    record Row(
            UUID decisionId,
            long seq,
            Instant decidedAt,
            String customerId,
            String outcome,
            String route,
            String creditLimit,
            String termDays,
            String currency,
            String reasons,
            String rulesetVersion) {}

    @ModelAttribute("outcomes")
    List<String> outcomes() {
        return List.of(Outcome.APPROVED.name(), Outcome.REFERRED.name(), Outcome.DECLINED.name());
    }

    @GetMapping(DECISIONS)
    String search(Search search, Model model, Authentication who) {
        Map<String, String> errors = new LinkedHashMap<>();
        DecisionLog.DecisionQuery query = query(search, errors);
        model.addAttribute("search", search);
        model.addAttribute("errors", errors);
        model.addAttribute("versions", rulesets.versions());
        if (errors.isEmpty()) {
            long total = decisionLog.count(query);
            int page = search.getPageNumber();
            model.addAttribute("total", total);
            model.addAttribute("pages", (total + PAGE_SIZE - 1) / PAGE_SIZE);
            List<Row> rows = decisionLog.search(query, page, PAGE_SIZE).stream()
                    .map(DecisionPages::row)
                    .toList();
            accessLog.record(who, AccessLog.Action.SEARCH, null, parameters(search), (long) rows.size());
            model.addAttribute("rows", rows);
        }
        return "console/decisions";
    }

    /** Every decision of a search as CSV, in the same columns as the API's export. */
    @GetMapping(DECISIONS + "/export")
    ResponseEntity<StreamingResponseBody> export(Search search, Authentication who) {
        Map<String, String> errors = new LinkedHashMap<>();
        DecisionLog.DecisionQuery query = query(search, errors);
        if (!errors.isEmpty()) {
            throw new ConsoleAdvice.NotFound("The search cannot be exported: " + errors);
        }
        log.info("Console: {} exported decisions {}", who.getName(), search.getExportQuery());
        accessLog.record(who, AccessLog.Action.EXPORT, null, parameters(search), null);
        return audit.csv(query);
    }

    @GetMapping(DECISIONS + "/{decisionId}")
    String decision(@PathVariable String decisionId, Model model, Authentication who) {
        UUID id = uuid(decisionId);
        Optional<LoggedDecision> found = decisionLog.find(id);
        accessLog.record(who, AccessLog.Action.READ, id, Map.of(), found.isPresent() ? 1L : 0L);
        LoggedDecision logged =
                found.orElseThrow(() -> new ConsoleAdvice.NotFound("No decision " + decisionId + " in the log"));
        model.addAttribute(
                "d", DecisionView.of(logged, dmnRules.of(logged.record().rulesetVersion())));
        model.addAttribute("versions", rulesets.versions());
        return "console/decision";
    }

    /** Replays a decision; the page's button asks for the result alone (htmx), a plain form gets the whole page. */
    @PostMapping(DECISIONS + "/{decisionId}/replay")
    String replay(
            @PathVariable String decisionId,
            @RequestParam(required = false) String rulesetVersion,
            @RequestHeader(name = "HX-Request", required = false) String htmx,
            Authentication who,
            Model model) {
        UUID id = uuid(decisionId);
        Optional<String> version = Optional.ofNullable(rulesetVersion).filter(v -> !v.isBlank());
        if (version.isPresent() && !RulesetSource.isVersion(version.get())) {
            throw new ConsoleAdvice.NotFound("No stored ruleset version " + version.get());
        }
        Replays.Replay replay;
        try {
            replay = replays.replay(id, version);
        } catch (Replays.NotFound e) {
            accessLog.record(who, AccessLog.Action.REPLAY, id, AccessLog.parameters("rulesetVersion", version), 0L);
            throw new ConsoleAdvice.NotFound(e.getMessage());
        } catch (Replays.Erased e) { // the API answers 410; the page says why, as a not-found page does
            throw new ConsoleAdvice.NotFound(e.getMessage());
        }
        accessLog.record(who, AccessLog.Action.REPLAY, id, AccessLog.parameters("rulesetVersion", version), 1L);
        log.info(
                "Console: {} replayed {} under {}: {}",
                who.getName(),
                id,
                replay.replayedRulesetVersion(),
                replay.identical() ? "identical" : replay.differences().size() + " difference(s)");
        model.addAttribute("replay", replay);
        if (htmx != null) {
            return "console/decision :: replay";
        }
        return decision(decisionId, model, who);
    }

    /** Walks the hash chain over a window (or all of it); shown in place on the decisions page. */
    @GetMapping(VERIFY)
    String verify(
            @RequestParam(required = false) String from,
            @RequestParam(required = false) String to,
            @RequestHeader(name = "HX-Request", required = false) String htmx,
            Authentication who,
            Model model) {
        Instant start;
        Instant end;
        try {
            start = Formats.parse(from);
            end = Formats.parse(to);
        } catch (DateTimeParseException e) {
            model.addAttribute(
                    "verifyError", "The window's times must be dates and times in UTC, e.g. " + "2026-11-22T10:00:00");
            return htmx != null ? "console/decisions :: verification" : search(emptySearch(), model, who);
        }
        ChainReport report = audit.verify(start, end);
        accessLog.record(
                who, AccessLog.Action.VERIFY, null, AccessLog.parameters("from", from, "to", to), report.checked());
        log.info(
                "Console: {} verified the chain over [{}, {}): {} records, {}",
                who.getName(),
                start,
                end,
                report.checked(),
                report.valid()
                        ? "valid"
                        : "BROKEN at " + report.firstBrokenLink().seq());
        model.addAttribute("verification", report);
        return htmx != null ? "console/decisions :: verification" : search(emptySearch(), model, who);
    }

    private static Map<String, Object> parameters(Search search) {
        return AccessLog.parameters(
                "customerId", blankToNull(search.customerId()),
                "from", blankToNull(search.from()),
                "to", blankToNull(search.to()),
                "outcome", blankToNull(search.outcome()),
                "rulesetVersion", blankToNull(search.rulesetVersion()),
                "page", blankToNull(search.page()));
    }

    private static Search emptySearch() {
        return new Search(null, null, null, null, null, null);
    }

    private static DecisionLog.DecisionQuery query(Search search, Map<String, String> errors) {
        String customerId = blankToNull(search.customerId());
        if (customerId != null && !FieldRule.REFERENCE.matcher(customerId).matches()) {
            errors.put("customerId", "A customer id is 1 to 64 characters of A-Z a-z 0-9 . _ : -");
        }
        Instant from = instant("from", search.from(), errors);
        Instant to = instant("to", search.to(), errors);
        if (from != null && to != null && !from.isBefore(to)) {
            errors.put("to", "The end must be after the start");
        }
        String outcome = blankToNull(search.outcome());
        if (outcome != null
                && List.of(Outcome.values()).stream().noneMatch(o -> o.name().equals(outcome))) {
            errors.put("outcome", "The outcome is APPROVED, REFERRED or DECLINED");
        }
        String version = blankToNull(search.rulesetVersion());
        if (version != null && !RulesetSource.isVersion(version)) {
            errors.put("rulesetVersion", "A ruleset version is sha256: and 64 hex digits");
        }
        return new DecisionLog.DecisionQuery(customerId, from, to, outcome, version);
    }

    private static Instant instant(String field, String text, Map<String, String> errors) {
        try {
            return Formats.parse(text);
        } catch (DateTimeParseException e) {
            errors.put(field, "A date and time in UTC, e.g. 2026-11-22T10:00:00");
            return null;
        }
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }

    private static UUID uuid(String value) {
        try {
            if (value.length() == 36) {
                return UUID.fromString(value);
            }
        } catch (IllegalArgumentException e) {
            // answered below
        }
        throw new ConsoleAdvice.NotFound("A decision id is a UUID, not " + value);
    }

    private static Row row(LoggedDecision d) {
        Map<String, Object> result = d.record().resultFields();
        Object reasons = result.get("reasons");
        return new Row(
                d.record().decisionId(),
                d.seq(),
                d.record().decidedAt(),
                d.record().erased() ? DecisionView.ERASED : d.record().customerId(),
                String.valueOf(result.get("outcome")),
                String.valueOf(result.get("approvalRoute")),
                Formats.INSTANCE.amount(result.get("creditLimit")),
                String.valueOf(result.get("termDays")),
                String.valueOf(result.get("currency")),
                reasons instanceof List<?> list && !list.isEmpty()
                        ? String.join(" ", list.stream().map(String::valueOf).toList())
                        : "none",
                d.record().rulesetVersion());
    }
}
