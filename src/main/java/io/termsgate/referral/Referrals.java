package io.termsgate.referral;

import com.fasterxml.jackson.databind.JsonNode;
import io.termsgate.audit.ChainWalk;
import io.termsgate.audit.Decided;
import io.termsgate.audit.DecisionLog;
import io.termsgate.audit.DecisionRecord;
import io.termsgate.audit.LoggedDecision;
import io.termsgate.creditline.CreditLines;
import io.termsgate.creditline.Hold;
import io.termsgate.engine.ApprovalRoute;
import io.termsgate.engine.AuthorityAnswer;
import io.termsgate.engine.AuthorityQuestion;
import io.termsgate.engine.CompiledRuleset;
import io.termsgate.engine.CreditApplication;
import io.termsgate.engine.Evaluation;
import io.termsgate.engine.Outcome;
import io.termsgate.ruleset.ActiveRuleset;
import io.termsgate.web.ApiProblemException;
import io.termsgate.web.ProblemTypes;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Referred orders on their way to a final answer. Every REFERRED decision opens a case in the transaction that logs
 * it ({@link #opening}); a person whose level reaches the case's, and whose delegated authority (the ruleset's
 * {@code decision-tables/authority.dmn}) covers the terms, approves or declines it; an overdue case escalates to the
 * next level and an unanswered one expires as DECLINED ({@code REF_EXPIRED}). Every answer and escalation is
 * appended to the referrals' hash chain, naming the decision it answers; the decision itself is never changed.
 *
 * <p>One answer per case on every instance: each change locks the case's row and checks it is still open. An
 * approval with an order id places the order's hold on the buyer's line in the same transaction as the answer.
 */
@Service
public class Referrals {

    private static final Logger log = LoggerFactory.getLogger(Referrals.class);
    public static final String SYSTEM = "system";
    public static final String EXPIRED_REASON = "REF_EXPIRED";
    private static final List<ApprovalRoute> LEVELS =
            List.of(ApprovalRoute.CREDIT_ANALYST, ApprovalRoute.CREDIT_MANAGER, ApprovalRoute.CFO);

    private final JdbcReferrals cases;
    private final DecisionLog decisionLog;
    private final CreditLines creditLines;
    private final ActiveRuleset rulesets;
    private final ReferralProperties properties;
    private final BusinessHours businessHours;
    private final TransactionTemplate transactions;
    private final ReferralMetrics metrics;
    private final FinalAnswers finalAnswers;
    private final Clock clock;

    Referrals(
            JdbcReferrals cases,
            DecisionLog decisionLog,
            CreditLines creditLines,
            ActiveRuleset rulesets,
            ReferralProperties properties,
            PlatformTransactionManager transactionManager,
            ReferralMetrics metrics,
            FinalAnswers finalAnswers,
            Clock clock) {
        this.cases = cases;
        this.decisionLog = decisionLog;
        this.creditLines = creditLines;
        this.rulesets = rulesets;
        this.properties = properties;
        this.businessHours = properties.businessHours();
        this.transactions = new TransactionTemplate(transactionManager);
        this.transactions.setTimeout(30);
        this.metrics = metrics;
        this.finalAnswers = finalAnswers;
        this.clock = clock;
    }

    /**
     * The case a decision opens, to be inserted in the transaction that logs the decision; null unless it is
     * REFERRED. Its deadline comes from {@code ruleset}'s authority table (the ruleset that decided), worked out here,
     * before the log's transaction, so that inserting it cannot fail on the table.
     */
    public Runnable opening(Decided decided, CompiledRuleset ruleset) {
        Evaluation evaluation = decided.evaluation();
        if (evaluation.outcome() != Outcome.REFERRED) {
            return null;
        }
        CreditApplication application = decided.evaluated();
        ApprovalRoute route = evaluation.approvalRoute().compareTo(ApprovalRoute.CREDIT_ANALYST) < 0
                ? ApprovalRoute.CREDIT_ANALYST // a referral names a person's level; never leave one without
                : evaluation.approvalRoute();
        BigDecimal amount = application.order().getAmount();
        Instant at = decided.decidedAt();
        // a grade the engine reached before it failed is not to be trusted: an engine-error referral has none, so only
        // a level the authority table lets approve without a grade (the CFO, by default) may approve it
        String grade = evaluation.engineError() ? null : evaluation.riskGrade();
        // the case is inserted in the batch that logs every decision with it: what a ruleset of an analyst's hands
        // could
        // output beyond the case's columns is left out here (an approval then gives its terms), never failing the batch
        if (grade != null && grade.length() > 8) {
            grade = null;
        }
        BigDecimal policyLimit = storable(evaluation.creditLimit()) ? evaluation.creditLimit() : BigDecimal.ZERO;
        List<String> reasons = evaluation.reasons();
        if (String.join(",", reasons).length() > 2000) {
            reasons = List.of("REASONS_TOO_LONG");
        }
        ReferralCase opened = new ReferralCase(
                UUID.randomUUID(),
                decided.decisionId(),
                application.customer().getId(),
                application.order().getId(),
                amount,
                application.order().getCurrency(),
                route,
                route,
                reasons,
                grade,
                policyLimit,
                evaluation.termDays(),
                decided.rulesetVersion(),
                ReferralStatus.OPEN,
                at,
                due(ruleset, route, at, amount, grade),
                at.plus(properties.expireAfter()).truncatedTo(ChronoUnit.MILLIS),
                0,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null,
                null);
        return () -> cases.insert(opened);
    }

    /** Fits NUMERIC(19, 2) exactly. */
    private static boolean storable(BigDecimal amount) {
        return amount != null
                && amount.signum() >= 0
                && amount.stripTrailingZeros().scale() <= 2
                && amount.compareTo(new BigDecimal("1E17")) < 0;
    }

    /** The deadline of a case at {@code level} from {@code from}: the authority table's business hours. */
    private Instant due(CompiledRuleset ruleset, ApprovalRoute level, Instant from, BigDecimal amount, String grade) {
        AuthorityAnswer answer =
                ruleset.authority(new AuthorityQuestion(level, amount, grade, BigDecimal.ZERO, 0, BigDecimal.ZERO));
        int hours = answer.dueBusinessHours();
        if (answer.error() != null || hours < 1) {
            log.error(
                    "The authority table of {} gave no deadline for {} ({}); using {} business hours",
                    ruleset.version(),
                    level,
                    answer.error(),
                    properties.fallbackDueBusinessHours());
            hours = properties.fallbackDueBusinessHours();
        }
        return businessHours.plus(from, hours).truncatedTo(ChronoUnit.MILLIS);
    }

    public Optional<ReferralCase> find(UUID id) {
        return cases.find(id);
    }

    public Optional<ReferralCase> findByDecision(UUID decisionId) {
        return cases.findByDecision(decisionId);
    }

    /** The case's escalations, approvals and answers, in order. */
    public List<ReferralEvent> history(UUID id) {
        return cases.eventsOf(id);
    }

    /** A page of cases, oldest due first; null filters match anything. */
    public List<ReferralCase> search(
            ReferralStatus status, ApprovalRoute route, String customerId, int page, int size) {
        return cases.search(new JdbcReferrals.Query(status, route, customerId), page, size);
    }

    public long count(ReferralStatus status, ApprovalRoute route, String customerId) {
        return cases.count(new JdbcReferrals.Query(status, route, customerId));
    }

    /** The open cases at {@code route} past their deadline now: the next sweep escalates them (CFO's stay). */
    public long countOverdue(ApprovalRoute route) {
        return cases.countOverdue(route, now());
    }

    /** The terms a person grants: null fields mean the policy's numbers (or, for a second approver, the first's). */
    public record Terms(BigDecimal creditLimit, Integer termDays) {}

    /** What an approval came to: final, or the first of two approvals awaiting a second person. */
    public record Approval(ReferralCase referral, boolean awaitingSecondApprover) {}

    /**
     * Approves the case within {@code who}'s delegated authority.
     *
     * @throws ApiProblemException 404 unknown case; 403 when the approver's level is below the case's, the authority
     *     table does not let that level grant these terms (naming the level that may), or the same person tries
     *     both approvals of four eyes; 409 when the case is no longer open, its order was decided again since, or a
     *     second approver's terms differ from the first's; 422 when there are no terms to grant
     */
    public Approval approve(UUID id, Approver who, Terms asked, String note) {
        ReferralCase c = open(id);
        checkLevel(c, who);
        DecisionRecord decision = decisionOf(c);
        checkNotSuperseded(c);
        BigDecimal creditLimit = asked.creditLimit() != null
                ? asked.creditLimit()
                : c.firstCreditLimit() != null ? c.firstCreditLimit() : c.policyCreditLimit();
        int termDays = asked.termDays() != null
                ? asked.termDays()
                : c.firstTermDays() != null ? c.firstTermDays() : c.policyTermDays();
        if (termDays < 1) {
            throw new ApiProblemException(
                            HttpStatus.UNPROCESSABLE_ENTITY,
                            ProblemTypes.INVALID_REQUEST,
                            "Terms needed",
                            "the referred decision grants no term (" + String.join(", ", c.reasons())
                                    + "); give creditLimit and termDays to approve it")
                    .with("policyCreditLimit", c.policyCreditLimit())
                    .with("policyTermDays", c.policyTermDays());
        }
        JsonNode requestedTerm = decision.requestTree().path("order").path("requestedTermDays");
        if (requestedTerm.isIntegralNumber() && termDays > requestedTerm.intValue()) {
            throw new ApiProblemException(
                            HttpStatus.UNPROCESSABLE_ENTITY,
                            ProblemTypes.INVALID_REQUEST,
                            "Term beyond the order's",
                            "the order asked for " + requestedTerm.intValue() + " days; an approval grants at most"
                                    + " that (" + termDays + " given)")
                    .with("requestedTermDays", requestedTerm.intValue());
        }
        if (c.firstApprovedBy() != null) {
            if (c.firstApprovedBy().equals(who.name()) || java.util.Objects.equals(c.firstApprover(), who.person())) {
                throw forbidden(
                        "Four eyes",
                        "case " + id + " was approved by " + who.person() + " already (as " + c.firstApprovedBy()
                                + "); a second person must approve it",
                        null);
            }
            if (creditLimit.compareTo(c.firstCreditLimit()) != 0 || termDays != c.firstTermDays()) {
                throw new ApiProblemException(
                                HttpStatus.CONFLICT,
                                ProblemTypes.CONFLICT,
                                "Second approval differs",
                                "the first approval by " + c.firstApprovedBy() + " granted a credit limit of "
                                        + c.firstCreditLimit().toPlainString() + " for " + c.firstTermDays()
                                        + " days; a second approval confirms those terms or the case is declined")
                        .with("firstCreditLimit", c.firstCreditLimit())
                        .with("firstTermDays", c.firstTermDays());
            }
        }
        CompiledRuleset authority = rulesets.current();
        ApprovalRoute level = who.level().orElseThrow();
        BigDecimal decidedBalance =
                number(decision.requestTree().path("customer").path("outstandingBalance"));
        // on what the referred decision saw; an order's approval asks again under its line's lock, on the line now
        AuthorityAnswer answer = authorize(
                authority,
                c,
                level,
                creditLimit,
                termDays,
                decidedBalance.add(
                        number(decision.requestTree().path("customer").path("heldAmount"))));
        Instant at = now();
        if (answer.approversNeeded() >= 2 && c.firstApprovedBy() == null) {
            ReferralCase first = transactions.execute(tx -> {
                ReferralCase locked = lockedOpen(id, c);
                ReferralCase updated = with(locked)
                        .firstApproval(who, at, creditLimit, termDays)
                        .build();
                cases.update(updated);
                cases.append(event(
                        updated,
                        at,
                        "FIRST_APPROVAL",
                        who.name(),
                        null,
                        creditLimit,
                        termDays,
                        null,
                        note,
                        authority.version(),
                        null));
                return updated;
            });
            return new Approval(first, true);
        }
        String decidedBy = c.firstApprovedBy() == null ? who.name() : c.firstApprovedBy() + " + " + who.name();
        java.util.function.Function<Hold, ReferralCase> finish = hold -> {
            ReferralCase locked = lockedOpen(id, c);
            ReferralCase approved = with(locked)
                    .answer(ReferralStatus.APPROVED, "APPROVED", decidedBy, at, creditLimit, termDays, null, note)
                    .hold(hold == null ? null : hold.id())
                    .authority(authority.version())
                    .build();
            cases.update(approved);
            cases.append(event(
                    approved,
                    at,
                    "APPROVED",
                    who.name(),
                    "APPROVED",
                    creditLimit,
                    termDays,
                    null,
                    note,
                    authority.version(),
                    approved.holdId()));
            finalAnswers.announce(approved, hold);
            return approved;
        };
        ReferralCase approved;
        if (c.orderId() == null) {
            approved = transactions.execute(tx -> finish.apply(null));
        } else {
            ReferralCase[] done = new ReferralCase[1];
            creditLines.placeApproved(
                    c.customerId(),
                    c.orderId(),
                    c.amount(),
                    c.currency(),
                    c.decisionId(),
                    who.name(),
                    (balance, heldByOtherOrders) -> {
                        // the order was not decided again meanwhile (a later decision commits under this lock),
                        // and the line as it is now (approvals since the referral included) is within authority
                        checkNotSuperseded(c);
                        authorize(
                                authority,
                                c,
                                level,
                                creditLimit,
                                termDays,
                                balance.max(decidedBalance).add(heldByOtherOrders));
                    },
                    hold -> done[0] = finish.apply(hold));
            approved = done[0];
        }
        finished(approved, c);
        return new Approval(approved, false);
    }

    /**
     * Declines the case: any person whose level reaches the case's may.
     *
     * @throws ApiProblemException 404, 403 (level), 409 (no longer open)
     */
    public ReferralCase decline(UUID id, Approver who, List<String> reasons, String note) {
        ReferralCase c = open(id);
        checkLevel(c, who);
        Instant at = now();
        ReferralCase declined = transactions.execute(tx -> {
            ReferralCase locked = lockedOpen(id, c);
            ReferralCase updated = with(locked)
                    .answer(ReferralStatus.DECLINED, "DECLINED", who.name(), at, BigDecimal.ZERO, 0, reasons, note)
                    .build();
            cases.update(updated);
            cases.append(event(
                    updated, at, "DECLINED", who.name(), "DECLINED", BigDecimal.ZERO, 0, reasons, note, null, null));
            finalAnswers.announce(updated, null);
            return updated;
        });
        finished(declined, c);
        return declined;
    }

    /** What one run of the deadline sweep did. */
    public record Sweep(int escalated, int expired) {}

    /**
     * Expires the cases past their expiry and escalates the overdue ones, each under its row's lock: with several
     * instances each case is escalated (or expired) once.
     */
    @Scheduled(
            initialDelayString = "${termsgate.referrals.sweep-interval:30s}",
            fixedDelayString = "${termsgate.referrals.sweep-interval:30s}")
    public Sweep sweep() {
        int escalated = 0;
        int expired = 0;
        try {
            Instant now = now();
            for (UUID id : cases.expired(now, 200)) {
                if (Boolean.TRUE.equals(oneCase(id, "expire", () -> transactions.execute(tx -> expire(id, now))))) {
                    expired++;
                }
            }
            for (UUID id : cases.overdue(now, 200)) {
                if (Boolean.TRUE.equals(oneCase(id, "escalate", () -> transactions.execute(tx -> escalate(id, now))))) {
                    escalated++;
                }
            }
        } catch (RuntimeException e) {
            log.warn("the referral deadline sweep failed; the next one retries: {}", e.toString());
        }
        return new Sweep(escalated, expired);
    }

    /** One case's step of the sweep: its failure is logged and left for the next sweep, the others go on. */
    private static Boolean oneCase(UUID id, String step, java.util.function.Supplier<Boolean> work) {
        try {
            return work.get();
        } catch (RuntimeException e) {
            log.warn("could not {} referral {}; the next sweep retries: {}", step, id, e.toString());
            return false;
        }
    }

    private boolean expire(UUID id, Instant now) {
        ReferralCase c = cases.lock(id).orElseThrow();
        if (c.status() != ReferralStatus.OPEN || c.expiresAt().isAfter(now)) {
            return false; // answered meanwhile, here or on another instance
        }
        ReferralCase expired = with(c).answer(
                        ReferralStatus.EXPIRED,
                        "DECLINED",
                        SYSTEM,
                        now,
                        BigDecimal.ZERO,
                        0,
                        List.of(EXPIRED_REASON),
                        null)
                .build();
        cases.update(expired);
        cases.append(event(
                expired,
                now,
                "EXPIRED",
                SYSTEM,
                "DECLINED",
                BigDecimal.ZERO,
                0,
                List.of(EXPIRED_REASON),
                null,
                null,
                null));
        finalAnswers.announce(expired, null);
        metrics.expired();
        metrics.decided("EXPIRED", c.route(), Duration.between(c.createdAt(), now));
        return true;
    }

    private boolean escalate(UUID id, Instant now) {
        ReferralCase c = cases.lock(id).orElseThrow();
        if (!c.overdueAt(now) || c.route() == ApprovalRoute.CFO) {
            return false; // answered or escalated meanwhile, here or on another instance
        }
        ApprovalRoute next = LEVELS.get(LEVELS.indexOf(c.route()) + 1);
        CompiledRuleset ruleset = rulesets.current();
        ReferralCase escalated = with(c).escalated(next, due(ruleset, next, now, c.amount(), c.riskGrade()))
                .build();
        cases.update(escalated);
        cases.append(event(
                escalated,
                now,
                "ESCALATED",
                SYSTEM,
                null,
                null,
                null,
                null,
                "overdue at " + c.route() + " since " + c.dueAt(),
                ruleset.version(),
                null));
        metrics.escalated();
        return true;
    }

    private void finished(ReferralCase answered, ReferralCase before) {
        metrics.decided(
                answered.status().name(), before.route(), Duration.between(before.createdAt(), answered.decidedAt()));
    }

    private ReferralCase open(UUID id) {
        ReferralCase c = cases.find(id)
                .orElseThrow(() -> new ApiProblemException(
                        HttpStatus.NOT_FOUND,
                        ProblemTypes.NOT_FOUND,
                        "Referral not found",
                        "there is no referral case " + id));
        if (c.status().isFinal()) {
            throw alreadyDecided(c);
        }
        return c;
    }

    /** The case locked, still open and as it was read before (no approval slipped in between). */
    private ReferralCase lockedOpen(UUID id, ReferralCase before) {
        ReferralCase locked = cases.lock(id).orElseThrow();
        if (locked.status().isFinal()) {
            throw alreadyDecided(locked);
        }
        if (!java.util.Objects.equals(locked.firstApprovedBy(), before.firstApprovedBy())
                || locked.route() != before.route()) {
            throw new ApiProblemException(
                    HttpStatus.CONFLICT,
                    ProblemTypes.CONFLICT,
                    "Referral changed",
                    "case " + id + " was approved or escalated by someone else meanwhile; read it again and decide");
        }
        return locked;
    }

    private static ApiProblemException alreadyDecided(ReferralCase c) {
        return new ApiProblemException(
                        HttpStatus.CONFLICT,
                        ProblemTypes.CONFLICT,
                        "Referral already decided",
                        "case " + c.id() + " is " + c.status() + (c.decidedBy() == null ? "" : " by " + c.decidedBy())
                                + "; a case is decided once")
                .with("referralStatus", c.status().name());
    }

    private static void checkLevel(ReferralCase c, Approver who) {
        if (!who.reaches(c.route())) {
            throw forbidden(
                    "Needs a higher level",
                    "case " + c.id() + " is at " + c.route() + "; " + who.name() + " ("
                            + who.level().map(Enum::name).orElse("no approval level") + ") may not decide it",
                    c.route());
        }
    }

    private void checkNotSuperseded(ReferralCase c) {
        if (c.orderId() == null) {
            return;
        }
        Optional<UUID> latest = decisionLog.latestDecisionOfOrder(c.customerId(), c.orderId());
        if (latest.isPresent() && !latest.get().equals(c.decisionId())) {
            throw new ApiProblemException(
                            HttpStatus.CONFLICT,
                            ProblemTypes.CONFLICT,
                            "Order decided again",
                            "order " + c.orderId() + " was decided again since this referral (decision " + latest.get()
                                    + "); only its latest decision may be approved")
                    .with("latestDecisionId", latest.get().toString());
        }
    }

    private static ApiProblemException forbidden(String title, String detail, ApprovalRoute required) {
        ApiProblemException e = new ApiProblemException(HttpStatus.FORBIDDEN, ProblemTypes.FORBIDDEN, title, detail);
        return required == null ? e : e.with("requiredLevel", required.name());
    }

    /**
     * What the authority table says of {@code level} granting these terms, with {@code used} of the buyer's credit
     * already taken (balance and other orders' holds); refuses (403 naming the level that may, 409 when the table
     * cannot answer) unless it may approve.
     */
    private AuthorityAnswer authorize(
            CompiledRuleset authority,
            ReferralCase c,
            ApprovalRoute level,
            BigDecimal creditLimit,
            int termDays,
            BigDecimal used) {
        BigDecimal share = overLimitShare(c.amount(), creditLimit, used);
        AuthorityAnswer answer = authority.authority(
                new AuthorityQuestion(level, c.amount(), c.riskGrade(), creditLimit, termDays, share));
        if (answer.isFailed()) {
            log.error("The authority table of {} could not answer: {}", authority.version(), answer.error());
            throw new ApiProblemException(
                    HttpStatus.CONFLICT,
                    ProblemTypes.CONFLICT,
                    "Delegated authority unavailable",
                    "the live ruleset's authority table could not answer, so nobody may approve until it is fixed: "
                            + answer.error());
        }
        if (!answer.mayApprove()) {
            Optional<ApprovalRoute> enough = LEVELS.stream()
                    .filter(l -> l.compareTo(level) > 0)
                    .filter(l -> authority
                            .authority(
                                    new AuthorityQuestion(l, c.amount(), c.riskGrade(), creditLimit, termDays, share))
                            .mayApprove())
                    .findFirst();
            String terms = "a credit limit of " + creditLimit.toPlainString() + " for " + termDays
                    + " days on an order of " + c.amount().toPlainString() + " " + c.currency() + " (grade "
                    + (c.riskGrade() == null ? "none" : c.riskGrade()) + ", over-limit share "
                    + share.toPlainString() + ")";
            throw forbidden(
                    "Beyond delegated authority",
                    level + " may not approve " + terms + " under the authority table of " + authority.version()
                            + (enough.map(l -> "; it needs " + l).orElse("; no level may approve these terms")),
                    enough.orElse(null));
        }
        return answer;
    }

    /**
     * The share of the order above the credit the approval would leave available, from 0 (it fits) to 1 (none of it
     * does): {@code used} (balance and other orders' holds) against the limit granted.
     */
    static BigDecimal overLimitShare(BigDecimal amount, BigDecimal creditLimit, BigDecimal used) {
        BigDecimal available = creditLimit.subtract(used).max(BigDecimal.ZERO);
        BigDecimal over = amount.subtract(available).max(BigDecimal.ZERO);
        return over.divide(amount, 4, RoundingMode.UP).stripTrailingZeros();
    }

    /**
     * The decision the case answers, from the hash-chained log; the case's own copy of it (buyer, order, amount,
     * route) must agree, or nothing is approved on a changed row.
     */
    private DecisionRecord decisionOf(ReferralCase c) {
        DecisionRecord r = decisionLog
                .find(c.decisionId())
                .map(LoggedDecision::record)
                .orElseThrow(() -> caseDisagrees(c, "its decision is not in the log"));
        JsonNode order = r.requestTree().path("order");
        boolean agrees = "REFERRED".equals(r.outcome())
                && c.customerId().equals(r.customerId()) // null once erased: an erased decision approves nothing
                && java.util.Objects.equals(r.orderId(), c.orderId())
                && order.path("amount").isNumber()
                && order.path("amount").decimalValue().compareTo(c.amount()) == 0
                && order.path("currency").asText().equals(c.currency())
                && (r.approvalRoute().equals(c.originalRoute().name())
                        || !LEVELS.contains(ApprovalRoute.valueOf(r.approvalRoute())))
                && c.route().compareTo(c.originalRoute()) >= 0;
        if (!agrees) {
            throw caseDisagrees(c, "its buyer, order, amount or route differ from its logged decision");
        }
        return r;
    }

    private static ApiProblemException caseDisagrees(ReferralCase c, String why) {
        log.error("Referral case {} does not match its decision {}: {}", c.id(), c.decisionId(), why);
        return new ApiProblemException(
                HttpStatus.CONFLICT,
                ProblemTypes.CONFLICT,
                "Referral does not match its decision",
                "case " + c.id() + " cannot be approved: " + why + "; an auditor should look at it");
    }

    private static BigDecimal number(JsonNode node) {
        return node.isNumber() ? node.decimalValue() : BigDecimal.ZERO;
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private static ReferralEvent event(
            ReferralCase c,
            Instant at,
            String event,
            String actor,
            String outcome,
            BigDecimal creditLimit,
            Integer termDays,
            List<String> reasons,
            String note,
            String authorityVersion,
            UUID holdId) {
        return new ReferralEvent(
                0,
                at,
                c.id(),
                c.decisionId(),
                event,
                actor,
                c.route().name(),
                outcome,
                creditLimit,
                termDays,
                reasons,
                note,
                authorityVersion,
                holdId,
                null,
                null);
    }

    /** The result of walking the referrals' chain: valid, or the first event that breaks it. */
    public record ChainReport(boolean valid, long checked, Long firstInvalidSeq, String problem) {}

    /** Walks the referrals' chain from its first event up to its head (events appended meanwhile wait for the next). */
    public ChainReport verifyChain() {
        JdbcReferrals.Head head = cases.head();
        ChainWalk.Result walked = ChainWalk.walk(
                head.seq(), head.hash(), cases::chain, new ChainWalk.Names("event", "events", "the chain's"));
        return new ChainReport(walked.valid(), walked.checked(), walked.firstInvalidSeq(), walked.problem());
    }

    private static CaseChange with(ReferralCase c) {
        return new CaseChange(c);
    }

    /** A case with some fields changed: the record has too many to copy by hand at each change. */
    private static final class CaseChange {
        private ApprovalRoute route;
        private ReferralStatus status;
        private Instant dueAt;
        private int escalations;
        private String firstApprovedBy;
        private String firstApprover;
        private Instant firstApprovedAt;
        private BigDecimal firstCreditLimit;
        private Integer firstTermDays;
        private String finalOutcome;
        private String decidedBy;
        private Instant decidedAt;
        private BigDecimal creditLimit;
        private Integer termDays;
        private List<String> finalReasons;
        private String note;
        private UUID holdId;
        private String authorityVersion;
        private final ReferralCase c;

        CaseChange(ReferralCase c) {
            this.c = c;
            route = c.route();
            status = c.status();
            dueAt = c.dueAt();
            escalations = c.escalations();
            firstApprovedBy = c.firstApprovedBy();
            firstApprover = c.firstApprover();
            firstApprovedAt = c.firstApprovedAt();
            firstCreditLimit = c.firstCreditLimit();
            firstTermDays = c.firstTermDays();
            finalOutcome = c.finalOutcome();
            decidedBy = c.decidedBy();
            decidedAt = c.decidedAt();
            creditLimit = c.creditLimit();
            termDays = c.termDays();
            finalReasons = c.finalReasons();
            note = c.note();
            holdId = c.holdId();
            authorityVersion = c.authorityVersion();
        }

        CaseChange firstApproval(Approver who, Instant at, BigDecimal limit, int days) {
            firstApprovedBy = who.name();
            firstApprover = who.person();
            firstApprovedAt = at;
            firstCreditLimit = limit;
            firstTermDays = days;
            return this;
        }

        CaseChange answer(
                ReferralStatus newStatus,
                String outcome,
                String who,
                Instant at,
                BigDecimal limit,
                int days,
                List<String> reasons,
                String text) {
            status = newStatus;
            finalOutcome = outcome;
            decidedBy = who;
            decidedAt = at;
            creditLimit = limit;
            termDays = days;
            finalReasons = reasons;
            note = text;
            return this;
        }

        CaseChange hold(UUID id) {
            holdId = id;
            return this;
        }

        CaseChange authority(String version) {
            authorityVersion = version;
            return this;
        }

        CaseChange escalated(ApprovalRoute next, Instant due) {
            route = next;
            dueAt = due;
            escalations++;
            return this;
        }

        ReferralCase build() {
            return new ReferralCase(
                    c.id(),
                    c.decisionId(),
                    c.customerId(),
                    c.orderId(),
                    c.amount(),
                    c.currency(),
                    c.originalRoute(),
                    route,
                    c.reasons(),
                    c.riskGrade(),
                    c.policyCreditLimit(),
                    c.policyTermDays(),
                    c.rulesetVersion(),
                    status,
                    c.createdAt(),
                    dueAt,
                    c.expiresAt(),
                    escalations,
                    firstApprovedBy,
                    firstApprover,
                    firstApprovedAt,
                    firstCreditLimit,
                    firstTermDays,
                    finalOutcome,
                    decidedBy,
                    decidedAt,
                    creditLimit,
                    termDays,
                    finalReasons,
                    note,
                    holdId,
                    authorityVersion);
        }
    }
}
