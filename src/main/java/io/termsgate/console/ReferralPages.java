package io.termsgate.console;

import io.termsgate.audit.DecisionLog;
import io.termsgate.audit.LoggedDecision;
import io.termsgate.audit.PersonalData;
import io.termsgate.creditline.CreditLineViews;
import io.termsgate.creditline.CreditLines;
import io.termsgate.creditline.HoldView;
import io.termsgate.creditline.LineView;
import io.termsgate.engine.ApprovalRoute;
import io.termsgate.engine.FieldRule;
import io.termsgate.referral.Approver;
import io.termsgate.referral.ReferralCase;
import io.termsgate.referral.ReferralEvent;
import io.termsgate.referral.ReferralStatus;
import io.termsgate.referral.Referrals;
import io.termsgate.web.ApiProblemException;
import jakarta.servlet.http.HttpServletResponse;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ProblemDetail;
import org.springframework.security.core.Authentication;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * The approvers' pages: a queue of referred orders per level, and a case with the decision it answers, the buyer's
 * line, its history and the approve and decline forms. What a person may decide (their level, the authority table)
 * is decided by {@link Referrals}, whose refusals are shown on the page in its words.
 */
@Controller
class ReferralPages {

    private static final Logger log = LoggerFactory.getLogger(ReferralPages.class);
    static final String REFERRALS = ConsoleSecurityConfig.HOME + "/referrals";
    static final int PAGE_SIZE = 25;
    static final int MAX_PAGE = 1_000_000;
    static final List<ApprovalRoute> LEVELS =
            List.of(ApprovalRoute.CREDIT_ANALYST, ApprovalRoute.CREDIT_MANAGER, ApprovalRoute.CFO);
    static final int MAX_NOTE = 2000;
    static final int MAX_REASONS = 20;
    private static final Pattern REASON = Pattern.compile("[A-Z][A-Z0-9_]{0,63}");
    private static final BigDecimal MAX_AMOUNT = new BigDecimal("1E15");

    private final Referrals referrals;
    private final DecisionLog decisionLog;
    private final CreditLineViews lines;
    private final CreditLines creditLines;
    private final DmnRules dmnRules;
    private final Clock clock;

    ReferralPages(
            Referrals referrals,
            DecisionLog decisionLog,
            CreditLineViews lines,
            CreditLines creditLines,
            DmnRules dmnRules,
            Clock clock) {
        this.referrals = referrals;
        this.decisionLog = decisionLog;
        this.lines = lines;
        this.creditLines = creditLines;
        this.dmnRules = dmnRules;
        this.clock = clock;
    }

    /**
     * The queue's filters as typed. An absent level is the person's own (every level for an auditor), an empty one
     * every level; an absent status is OPEN, an empty one any status.
     */
    record Filter(String level, String status, String customerId, String page) {

        /** The same filters as query parameters, for the pages of the queue. */
        public String query(Integer otherPage) {
            UriComponentsBuilder query = UriComponentsBuilder.newInstance();
            query.queryParam("level", level == null ? "" : level.strip());
            query.queryParam("status", status == null ? "" : status.strip());
            if (customerId != null && !customerId.isBlank()) {
                query.queryParam("customerId", customerId.strip());
            }
            if (otherPage != null && otherPage > 0) {
                query.queryParam("page", otherPage);
            }
            return query.encode().build().toUriString();
        }

        /** The page asked for, from 0; anything that is not a page number is the first page. */
        public int getPageNumber() {
            try {
                return page == null ? 0 : Math.max(0, Math.min(Integer.parseInt(page.strip()), MAX_PAGE));
            } catch (NumberFormatException e) {
                return 0;
            }
        }
    }

    /** One case of a queue. */
    record Row(
            UUID id,
            Instant dueAt,
            boolean overdue,
            String customerId,
            String orderId,
            String amount,
            String currency,
            String route,
            String originalRoute,
            List<String> reasons,
            String age,
            String status) {}

    /** A reason code with its words. */
    record Reason(String code, String words) {}

    /** The approval form as typed, kept when it is refused. */
    record ApprovalForm(String note, String creditLimit, String termDays) {}

    /** The decline form as typed. */
    record DeclineForm(String reasons, String note) {}

    @GetMapping(REFERRALS)
    String queue(Filter filter, Authentication who, HttpServletResponse response, Model model) {
        Person me = Person.of(who);
        Map<String, String> errors = new LinkedHashMap<>();
        String levelText = filter.level() == null
                ? (me.level() == null ? "" : me.level().name())
                : filter.level().strip().toUpperCase(Locale.ROOT);
        ApprovalRoute level = null;
        if (!levelText.isEmpty()) {
            level = LEVELS.stream()
                    .filter(l -> l.name().equals(levelText))
                    .findFirst()
                    .orElse(null);
            if (level == null) {
                errors.put("level", "The level is CREDIT_ANALYST, CREDIT_MANAGER or CFO");
            }
        }
        String statusText = filter.status() == null
                ? ReferralStatus.OPEN.name()
                : filter.status().strip().toUpperCase(Locale.ROOT);
        ReferralStatus status = null;
        if (!statusText.isEmpty()) {
            status = List.of(ReferralStatus.values()).stream()
                    .filter(s -> s.name().equals(statusText))
                    .findFirst()
                    .orElse(null);
            if (status == null) {
                errors.put("status", "The status is OPEN, APPROVED, DECLINED or EXPIRED");
            }
        }
        String customerId = filter.customerId() == null || filter.customerId().isBlank()
                ? null
                : filter.customerId().strip();
        if (customerId != null && !FieldRule.REFERENCE.matcher(customerId).matches()) {
            errors.put("customerId", "A customer id is 1 to 64 characters of A-Z a-z 0-9 . _ : -");
        }
        Filter shown = new Filter(
                errors.containsKey("level") ? "" : levelText,
                errors.containsKey("status") ? "" : statusText,
                errors.containsKey("customerId") ? null : customerId,
                filter.page());
        model.addAttribute("filter", shown);
        model.addAttribute("errors", errors);
        model.addAttribute("levels", LEVELS);
        model.addAttribute("statuses", List.of(ReferralStatus.values()));
        if (!errors.isEmpty()) {
            response.setStatus(HttpServletResponse.SC_BAD_REQUEST);
            return "console/referrals";
        }
        Instant now = clock.instant();
        long total = referrals.count(status, level, customerId);
        int page = shown.getPageNumber();
        model.addAttribute("total", total);
        model.addAttribute("pages", (total + PAGE_SIZE - 1) / PAGE_SIZE);
        model.addAttribute(
                "rows",
                referrals.search(status, level, customerId, page, PAGE_SIZE).stream()
                        .map(c -> row(c, now))
                        .toList());
        return "console/referrals";
    }

    @GetMapping(REFERRALS + "/{referralId}")
    String referral(@PathVariable String referralId, Authentication who, Model model) {
        ReferralCase c = existing(referralId);
        show(c, Person.of(who), model);
        return "console/referral";
    }

    @PostMapping(REFERRALS + "/{referralId}/approve")
    String approve(
            @PathVariable String referralId,
            @RequestParam(required = false) String note,
            @RequestParam(required = false) String creditLimit,
            @RequestParam(required = false) String termDays,
            Authentication who,
            HttpServletResponse response,
            RedirectAttributes flash,
            Model model) {
        ReferralCase c = existing(referralId);
        Person me = Person.of(who);
        ApprovalForm form = new ApprovalForm(note, creditLimit, termDays);
        List<String> problems = new ArrayList<>();
        String text = note(note, problems);
        BigDecimal limit = creditLimit(creditLimit, problems);
        Integer days = termDays(termDays, problems);
        if (!problems.isEmpty()) {
            return refused(
                    c, me, response, model, 422, "The approval was not sent", String.join(" ", problems), form, null);
        }
        try {
            Referrals.Approval approval =
                    referrals.approve(c.id(), me.approver(), new Referrals.Terms(limit, days), text);
            log.info(
                    "Console: {} approved referral {}{}",
                    me.name(),
                    c.id(),
                    approval.awaitingSecondApprover() ? " (first of two)" : "");
            flash.addFlashAttribute(
                    "notice",
                    approval.awaitingSecondApprover()
                            ? "First approval recorded by " + me.name() + ". The authority table asks for a second "
                                    + "person: another approver at this level must approve the same terms."
                            : "Approved by " + me.name() + ".");
        } catch (ApiProblemException e) {
            return refusal(c, me, response, model, e, form, null);
        }
        return "redirect:" + REFERRALS + "/" + c.id();
    }

    @PostMapping(REFERRALS + "/{referralId}/decline")
    String decline(
            @PathVariable String referralId,
            @RequestParam(required = false) String reasons,
            @RequestParam(required = false) String note,
            Authentication who,
            HttpServletResponse response,
            RedirectAttributes flash,
            Model model) {
        ReferralCase c = existing(referralId);
        Person me = Person.of(who);
        DeclineForm form = new DeclineForm(reasons, note);
        List<String> problems = new ArrayList<>();
        String text = note(note, problems);
        List<String> codes = reasons(reasons, problems);
        if (!problems.isEmpty()) {
            return refused(
                    c, me, response, model, 422, "The decline was not sent", String.join(" ", problems), null, form);
        }
        try {
            referrals.decline(c.id(), me.approver(), codes, text);
            log.info("Console: {} declined referral {} for {}", me.name(), c.id(), codes);
            flash.addFlashAttribute("notice", "Declined by " + me.name() + ".");
        } catch (ApiProblemException e) {
            return refusal(c, me, response, model, e, null, form);
        }
        return "redirect:" + REFERRALS + "/" + c.id();
    }

    /** The case page again, with the service's refusal in its words and the status it was given. */
    private String refusal(
            ReferralCase c,
            Person me,
            HttpServletResponse response,
            Model model,
            ApiProblemException e,
            ApprovalForm approval,
            DeclineForm decline) {
        ProblemDetail problem = e.problem();
        if (problem.getStatus() == HttpServletResponse.SC_NOT_FOUND) {
            throw new ConsoleAdvice.NotFound(problem.getDetail());
        }
        String detail = problem.getDetail();
        Object required =
                problem.getProperties() == null ? null : problem.getProperties().get("requiredLevel");
        if (required != null) {
            detail = detail + ". It needs " + required + " or above.";
        }
        log.info("Console: {} refused on referral {}: {}: {}", me.name(), c.id(), problem.getTitle(), detail);
        ReferralCase now = referrals.find(c.id()).orElse(c); // as it is after the refusal (decided meanwhile?)
        return refused(now, me, response, model, problem.getStatus(), problem.getTitle(), detail, approval, decline);
    }

    private String refused(
            ReferralCase c,
            Person me,
            HttpServletResponse response,
            Model model,
            int status,
            String title,
            String detail,
            ApprovalForm approval,
            DeclineForm decline) {
        response.setStatus(status);
        model.addAttribute("refusalTitle", title);
        model.addAttribute("refusal", detail);
        model.addAttribute("refusalStatus", status);
        show(c, me, model);
        if (approval != null) {
            model.addAttribute("approval", approval);
        }
        if (decline != null) {
            model.addAttribute("decline", decline);
        }
        return "console/referral";
    }

    private void show(ReferralCase c, Person me, Model model) {
        Instant now = clock.instant();
        model.addAttribute("c", c);
        model.addAttribute("row", row(c, now));
        model.addAttribute("finalReasons", words(c.finalReasons() == null ? List.of() : c.finalReasons()));
        LoggedDecision logged = decisionLog.find(c.decisionId()).orElse(null);
        model.addAttribute(
                "d",
                logged == null
                        ? null
                        : DecisionView.of(logged, dmnRules.of(logged.record().rulesetVersion())));
        // a case whose customer was erased names a subject reference, not a customer: it has no line to show
        LineView line = PersonalData.isSubjectRef(c.customerId())
                ? null
                : lines.line(c.customerId()).orElse(null);
        model.addAttribute("line", line);
        model.addAttribute(
                "hold",
                c.holdId() == null
                        ? null
                        : creditLines
                                .hold(c.customerId(), c.holdId())
                                .map(h -> HoldView.of(h, now))
                                .orElse(null));
        List<ReferralEvent> history = referrals.history(c.id());
        model.addAttribute("history", history);
        Approver approver = me.approver();
        model.addAttribute("myLevel", me.level());
        // every approver gets the forms of an open case: whether their authority covers the terms is only known
        // when they are sent, and a refusal says on this page which level is needed
        model.addAttribute(
                "mayDecide",
                c.status() == ReferralStatus.OPEN && approver.level().isPresent());
        model.addAttribute("belowLevel", approver.level().isPresent() && !approver.reaches(c.route()));
        model.addAttribute("approval", new ApprovalForm("", "", ""));
        model.addAttribute("decline", new DeclineForm("", ""));
    }

    private ReferralCase existing(String referralId) {
        UUID id;
        try {
            if (referralId.length() != 36) {
                throw new IllegalArgumentException();
            }
            id = UUID.fromString(referralId);
        } catch (IllegalArgumentException e) {
            throw new ConsoleAdvice.NotFound("A referral id is a UUID, not " + abbreviated(referralId));
        }
        return referrals.find(id).orElseThrow(() -> new ConsoleAdvice.NotFound("No referral case " + id));
    }

    private static String abbreviated(String text) {
        return text.length() > 64 ? text.substring(0, 64) + "…" : text;
    }

    private static Row row(ReferralCase c, Instant now) {
        return new Row(
                c.id(),
                c.dueAt(),
                c.overdueAt(now),
                c.customerId(),
                c.orderId(),
                Formats.INSTANCE.amount(c.amount()),
                c.currency(),
                c.route().name(),
                c.originalRoute().name(),
                c.reasons(),
                age(Duration.between(c.createdAt(), c.decidedAt() != null ? c.decidedAt() : now)),
                c.status().name());
    }

    /** A case's age as a person reads it: 45 min, 3 h 10 min, 2 d 4 h. */
    static String age(Duration age) {
        if (age.isNegative()) {
            return "0 min";
        }
        long minutes = age.toMinutes();
        if (minutes < 60) {
            return minutes + " min";
        }
        if (minutes < 24 * 60) {
            return minutes / 60 + " h " + minutes % 60 + " min";
        }
        return minutes / (24 * 60) + " d " + (minutes / 60) % 24 + " h";
    }

    private static List<Reason> words(List<String> codes) {
        return codes.stream()
                .map(code -> new Reason(code, ReasonTexts.words(code)))
                .toList();
    }

    /** The note as the service takes it: a browser's CRLF new lines as LF, at most 2,000 characters. */
    private static String note(String note, List<String> problems) {
        if (note == null || note.isBlank()) {
            return null;
        }
        String text = note.replace("\r\n", "\n").replace('\r', '\n');
        if (text.length() > MAX_NOTE) {
            problems.add("The note may be at most " + MAX_NOTE + " characters.");
            return null;
        }
        if (text.codePoints().anyMatch(ch -> Character.isISOControl(ch) && ch != '\n' && ch != '\t')) {
            problems.add("The note may not hold control characters.");
            return null;
        }
        return text.strip();
    }

    private static BigDecimal creditLimit(String text, List<String> problems) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String bad = "The credit limit is a number from 0, below 10^15, with at most 2 decimals (e.g. 40000).";
        if (text.strip().length() > 32) {
            problems.add(bad);
            return null;
        }
        try {
            BigDecimal value = new BigDecimal(text.strip().replace(",", ""));
            if (value.signum() < 0
                    || value.compareTo(MAX_AMOUNT) >= 0
                    || value.stripTrailingZeros().scale() > 2) {
                problems.add(bad);
                return null;
            }
            return value.stripTrailingZeros().scale() < 0 ? value.setScale(0) : value.stripTrailingZeros();
        } catch (NumberFormatException e) {
            problems.add(bad);
            return null;
        }
    }

    private static Integer termDays(String text, List<String> problems) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            int days = Integer.parseInt(text.strip());
            if (days >= 1 && days <= 365) {
                return days;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        problems.add("The term is a whole number of days from 1 to 365.");
        return null;
    }

    /** Reason codes separated by spaces or commas, upper-cased: 1 to 20 codes of A-Z 0-9 _. */
    private static List<String> reasons(String text, List<String> problems) {
        List<String> codes = new ArrayList<>();
        if (text != null) {
            for (String code : text.strip().toUpperCase(Locale.ROOT).split("[\\s,]+")) {
                if (!code.isEmpty() && !codes.contains(code)) {
                    codes.add(code);
                }
            }
        }
        if (codes.isEmpty() || codes.size() > MAX_REASONS) {
            problems.add("Give 1 to " + MAX_REASONS + " reason codes, e.g. DECLINE_CREDIT_RISK.");
            return List.of();
        }
        if (codes.stream().anyMatch(code -> !REASON.matcher(code).matches())) {
            problems.add("A reason code is A-Z first, then A-Z 0-9 _, up to 64 characters.");
            return List.of();
        }
        return codes.stream().sorted().toList();
    }
}
