package io.termsgate.decision;

import io.termsgate.audit.AuditLogUnavailableException;
import io.termsgate.audit.CanonicalRequest;
import io.termsgate.audit.Decided;
import io.termsgate.audit.DecisionLog;
import io.termsgate.audit.DuplicateIdempotencyKeyException;
import io.termsgate.audit.LoggedDecision;
import io.termsgate.creditapplication.DecisionRequestReader.Requested;
import io.termsgate.creditline.CreditLines;
import io.termsgate.engine.CompiledRuleset;
import io.termsgate.engine.CreditApplication;
import io.termsgate.engine.DecisionEngine;
import io.termsgate.engine.Evaluation;
import io.termsgate.referral.Referrals;
import io.termsgate.ruleset.ActiveRuleset;
import io.termsgate.shadow.ShadowEvaluations;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.dao.DataAccessException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.TransactionException;

/**
 * The checkout use case: decide one application under the active ruleset at the current time, and answer only once
 * the decision is committed to the log.
 *
 * <p>With an Idempotency-Key, a retry of the same request gets the original decision back and nothing new is
 * logged; the same key with another request is refused. Concurrent retries with one key produce one decision: in
 * this instance they wait for the first, across instances the log's writer lets only the first in.
 */
@Service
class CreditDecisionService implements Assessments {

    private static final Logger log = LoggerFactory.getLogger(CreditDecisionService.class);

    /** The decision, and whether it was logged earlier for the same idempotency key. */
    public record Answer(LoggedDecision decision, boolean repeated) {}

    private final ActiveRuleset rulesets;
    private final DecisionLog decisionLog;
    private final DecisionIds ids;
    private final Clock clock;
    private final Map<String, String> engineVersions;
    private final ConcurrentHashMap<String, CompletableFuture<LoggedDecision>> inFlight = new ConcurrentHashMap<>();
    private final DecisionMetrics metrics;
    private final CreditLines creditLines;
    private final Referrals referrals;
    private final ShadowEvaluations shadow;

    CreditDecisionService(
            ActiveRuleset rulesets,
            DecisionLog decisionLog,
            CreditLines creditLines,
            Referrals referrals,
            DecisionIds ids,
            Clock clock,
            DecisionEngine engine,
            DecisionMetrics metrics,
            ShadowEvaluations shadow) {
        this.metrics = metrics;
        this.shadow = shadow;
        this.creditLines = creditLines;
        this.referrals = referrals;
        this.rulesets = rulesets;
        this.decisionLog = decisionLog;
        this.ids = ids;
        this.clock = clock;
        this.engineVersions = Map.copyOf(engine.versions());
    }

    /**
     * @throws AuditLogUnavailableException when the decision cannot be logged in time (nothing may be answered)
     * @throws IdempotencyKeyReusedException when the key was used for a different request
     */
    public Answer decide(Requested requested, String client, String idempotencyKey) {
        return decide(requested, client, idempotencyKey, true);
    }

    @Override
    public Assessed assess(Requested requested, String client, String idempotencyKey) {
        if (requested.application().order().getId() != null) {
            throw new IllegalArgumentException("an assessment has no order id");
        }
        try {
            LoggedDecision decision =
                    decide(requested, client, idempotencyKey, false).decision();
            return new Assessed(decision.record().decisionId(), DecisionResponses.withoutTrace(decision));
        } catch (IdempotencyKeyReusedException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    @Override
    public Pending assessLater(Requested requested, String client, String idempotencyKey) {
        if (requested.application().order().getId() != null) {
            throw new IllegalArgumentException("an assessment has no order id");
        }
        if (idempotencyKey == null) {
            throw new IllegalArgumentException("an assessment in flight has an Idempotency-Key");
        }
        CanonicalRequest request = CanonicalRequest.of(requested.application(), requested.given());
        var earlier = lookUp(client, idempotencyKey);
        if (earlier.isPresent()) {
            return done(assessed(earlier.get(), request.sha256(), idempotencyKey));
        }
        String scope = client + "\u0000" + idempotencyKey;
        CompletableFuture<LoggedDecision> mine = new CompletableFuture<>();
        CompletableFuture<LoggedDecision> first = inFlight.putIfAbsent(scope, mine);
        if (first != null) {
            return done(assessed(awaitFirst(first), request.sha256(), idempotencyKey));
        }
        CompletableFuture<LoggedDecision> logged;
        Deciding deciding;
        try {
            deciding = new Deciding(request, client, idempotencyKey, false);
            try (MDC.MDCCloseable id = MDC.putCloseable("decisionId", deciding.decisionId.toString());
                    MDC.MDCCloseable version = MDC.putCloseable("rulesetVersion", deciding.ruleset.version())) {
                logged = assess(requested, deciding.decidedAt, deciding);
            }
        } catch (RuntimeException e) {
            inFlight.remove(scope, mine);
            mine.completeExceptionally(e);
            throw e;
        }
        // on the log's writer thread: only quick bookkeeping here, the rest on the caller's thread in join()
        logged.whenComplete((decision, failure) -> {
            inFlight.remove(scope, mine);
            if (decision != null) {
                deciding.logged(decision);
                mine.complete(decision);
            } else {
                mine.completeExceptionally(new AuditLogUnavailableException(
                        "the first request with this Idempotency-Key could not be answered", failure));
            }
        });
        return new Pending() {
            @Override
            public boolean isDone() {
                return logged.isDone();
            }

            @Override
            public Assessed join() {
                try {
                    return assessed(logged.get(), request.sha256(), idempotencyKey);
                } catch (ExecutionException e) {
                    if (e.getCause() instanceof DuplicateIdempotencyKeyException) {
                        // another instance logged this key between our look-up and our commit: theirs is the decision
                        return assessed(lookUp(client, idempotencyKey).orElseThrow(), request.sha256(), idempotencyKey);
                    }
                    if (e.getCause() instanceof RuntimeException cause) {
                        throw cause;
                    }
                    throw new AuditLogUnavailableException("the decision could not be logged", e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AuditLogUnavailableException("interrupted while waiting for the decision log", e);
                }
            }
        };
    }

    /** The decision's answer for an assessment: checked against the request when it was logged earlier. */
    private Assessed assessed(LoggedDecision decision, String requestSha256, String idempotencyKey) {
        if (!decision.record().requestSha256().equals(requestSha256)) {
            throw new IllegalStateException(new IdempotencyKeyReusedException(
                            idempotencyKey, decision.record().decisionId())
                    .getMessage());
        }
        return new Assessed(decision.record().decisionId(), DecisionResponses.withoutTrace(decision));
    }

    private static Pending done(Assessed assessed) {
        return new Pending() {
            @Override
            public boolean isDone() {
                return true;
            }

            @Override
            public Assessed join() {
                return assessed;
            }
        };
    }

    /** An assessment's decision submitted to the log; the same exceptions as {@link #decide(Requested, Instant, CreditLines.Decider)}. */
    private CompletableFuture<LoggedDecision> assess(
            Requested requested, Instant decidedAt, CreditLines.Decider decider) {
        try {
            return creditLines.assess(requested, decidedAt, decider);
        } catch (DataAccessException | TransactionException e) {
            throw new AuditLogUnavailableException(
                    "the credit line or the decision log cannot be reached: " + e.getMessage(), e);
        }
    }

    private Answer decide(Requested requested, String client, String idempotencyKey, boolean opensReferral) {
        CanonicalRequest request = CanonicalRequest.of(requested.application(), requested.given());
        if (idempotencyKey == null) {
            return new Answer(decideAndLog(request, requested, client, null, opensReferral), false);
        }
        var earlier = lookUp(client, idempotencyKey);
        if (earlier.isPresent()) {
            return repeated(earlier.get(), request.sha256(), idempotencyKey);
        }
        String scope = client + "\u0000" + idempotencyKey;
        CompletableFuture<LoggedDecision> mine = new CompletableFuture<>();
        CompletableFuture<LoggedDecision> first = inFlight.putIfAbsent(scope, mine);
        if (first != null) {
            return repeated(awaitFirst(first), request.sha256(), idempotencyKey);
        }
        try {
            LoggedDecision decision = decideAndLog(request, requested, client, idempotencyKey, opensReferral);
            mine.complete(decision);
            return new Answer(decision, false);
        } catch (DuplicateIdempotencyKeyException e) {
            // another instance logged this key between our look-up and our commit: theirs is the decision
            LoggedDecision theirs = lookUp(client, idempotencyKey).orElseThrow();
            mine.complete(theirs);
            return repeated(theirs, request.sha256(), idempotencyKey);
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            inFlight.remove(scope, mine);
            // however this ended (an error, a failed look-up after a duplicate), retries waiting for it must end too
            mine.completeExceptionally(new AuditLogUnavailableException(
                    "the first request with this " + "Idempotency-Key could not be answered", null));
        }
    }

    private LoggedDecision decideAndLog(
            CanonicalRequest request,
            Requested requested,
            String client,
            String idempotencyKey,
            boolean opensReferral) {
        Deciding deciding = new Deciding(request, client, idempotencyKey, opensReferral);
        // every log line about this decision carries its id and version (structured logs: MDC fields)
        try (MDC.MDCCloseable id = MDC.putCloseable("decisionId", deciding.decisionId.toString());
                MDC.MDCCloseable version = MDC.putCloseable("rulesetVersion", deciding.ruleset.version())) {
            LoggedDecision logged =
                    decide(requested, deciding.decidedAt, deciding).logged();
            deciding.logged(logged);
            return logged;
        }
    }

    /**
     * One decision on its way: read once, the active ruleset and the time it is decided under; builds the record the
     * credit line hands to the log.
     */
    private final class Deciding implements CreditLines.Decider {
        final long start = System.nanoTime();
        final CompiledRuleset ruleset = rulesets.current(); // read once: the whole decision runs on this version
        final Instant decidedAt = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        final UUID decisionId = ids.next(decidedAt);
        final CanonicalRequest request;
        final String client;
        final String idempotencyKey;
        final boolean opensReferral;
        long micros;
        boolean engineError;

        Deciding(CanonicalRequest request, String client, String idempotencyKey, boolean opensReferral) {
            this.request = request;
            this.client = client;
            this.idempotencyKey = idempotencyKey;
            this.opensReferral = opensReferral;
        }

        @Override
        public Evaluation evaluate(CreditApplication evaluated) {
            long evaluationStart = System.nanoTime();
            Evaluation evaluation = ruleset.evaluate(evaluated, decidedAt);
            micros = (System.nanoTime() - evaluationStart) / 1_000;
            engineError = evaluation.engineError();
            if (evaluation.engineError()) {
                log.error(
                        "Engine error; answered as a safe referral: {}",
                        evaluation.trace().errors());
            }
            return evaluation;
        }

        @Override
        public Decided decided(CreditApplication evaluated, Evaluation evaluation, Map<String, Object> creditLine) {
            return new Decided(
                    decisionId,
                    decidedAt,
                    client,
                    idempotencyKey,
                    request,
                    evaluated,
                    creditLine,
                    ruleset.version(),
                    engineVersions,
                    evaluation,
                    micros);
        }

        @Override
        public Runnable alongside(Decided decided) {
            // a REFERRED decision's case commits with it; an assessment of a batch waits for no one
            return opensReferral ? referrals.opening(decided, ruleset) : null;
        }

        void logged(LoggedDecision logged) {
            metrics.decided(logged.record(), System.nanoTime() - start, engineError);
            if (opensReferral) {
                // checkout's answer is made and logged: a challenger, if one runs, sees it later, off this thread
                shadow.offer(logged);
            }
            log.debug(
                    "Decided {} / {} in {} µs",
                    logged.record().outcome(),
                    logged.record().approvalRoute(),
                    micros);
        }
    }

    /** The credit line's reads and writes share the log's fate: a database that cannot be reached answers 503. */
    private CreditLines.Decision decide(Requested requested, Instant decidedAt, CreditLines.Decider decider) {
        try {
            return creditLines.decide(requested, decidedAt, decider);
        } catch (DataAccessException | TransactionException e) {
            throw new AuditLogUnavailableException(
                    "the credit line or the decision log cannot be reached: " + e.getMessage(), e);
        }
    }

    private Optional<LoggedDecision> lookUp(String client, String idempotencyKey) {
        try {
            return decisionLog.findByIdempotencyKey(client, idempotencyKey);
        } catch (DataAccessException e) {
            throw new AuditLogUnavailableException("the decision log cannot be read: " + e.getMessage(), e);
        }
    }

    /** A retry waits for the first request with its key, however long that one takes to be logged or to fail. */
    private static LoggedDecision awaitFirst(CompletableFuture<LoggedDecision> first) {
        try {
            return first.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException cause) {
                throw cause;
            }
            throw new AuditLogUnavailableException("the decision could not be logged", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AuditLogUnavailableException("interrupted while waiting for the decision log", e);
        }
    }

    private Answer repeated(LoggedDecision earlier, String requestSha256, String idempotencyKey) {
        if (!earlier.record().requestSha256().equals(requestSha256)) {
            throw new IdempotencyKeyReusedException(
                    idempotencyKey, earlier.record().decisionId());
        }
        metrics.replayed();
        return new Answer(earlier, true);
    }
}
