package io.termsgate.ruleset.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.termsgate.engine.ApprovalRoute;
import io.termsgate.engine.AuthorityAnswer;
import io.termsgate.engine.AuthorityQuestion;
import io.termsgate.engine.CompiledRuleset;
import io.termsgate.engine.Evaluation;
import io.termsgate.engine.Outcome;
import io.termsgate.engine.RulesetRejectedException;
import io.termsgate.engine.RulesetSource;
import io.termsgate.engine.drools.EngineProperties;
import io.termsgate.ruleset.RulesetFiles;
import io.termsgate.support.Applications;
import io.termsgate.support.DefaultRuleset;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The second wall: candidates run in a worker process with an empty environment, no network, no file writes, a
 * heap and a deadline. Real processes, started the way the service starts them.
 */
class CandidateSandboxTest {

    private static final RulesetSource DEFAULT = RulesetFiles.readFolder(Path.of("."));
    private static final EngineProperties ENGINE = new EngineProperties(10_000);

    @TempDir
    Path dir;

    private static CandidateSandbox sandbox(String heap, Duration validation, Duration evaluation) {
        return new CandidateSandbox(
                new SandboxProperties(heap, validation, evaluation, Duration.ofSeconds(60)), ENGINE);
    }

    @Test
    void theDefaultRulesetPassesItsScenariosInTheSandbox() {
        CandidateSandbox.Checked checked = sandbox("256m", Duration.ofSeconds(120), Duration.ofSeconds(10))
                .validate(DEFAULT, DefaultRuleset.DECISION_TIME);

        assertThat(checked.scenarios().total())
                .isEqualTo(41 + 3 + 23); // the worked examples, the credit-line and the dunning scenarios
        assertThat(checked.scenarios().allPassed()).isTrue();
    }

    @Test
    void theWorkerThatValidatedACandidateIsKeptToEvaluateIt() throws Exception {
        CandidateSandbox.Kept kept = sandbox("256m", Duration.ofSeconds(120), Duration.ofSeconds(10))
                .validateKeeping(DEFAULT, DefaultRuleset.DECISION_TIME);
        SandboxedRuleset evaluator = (SandboxedRuleset) kept.evaluator();
        long validatedBy = evaluator.workerPid();
        try {
            assertThat(kept.checked().scenarios().allPassed()).isTrue();
            assertThat(validatedBy).isPositive();
            List<CompiledRuleset.Question> questions = List.of(
                    new CompiledRuleset.Question(Applications.typical().build(), DefaultRuleset.DECISION_TIME),
                    new CompiledRuleset.Question(
                            Applications.typical()
                                    .creditScore(45)
                                    .amount("90000")
                                    .build(),
                            DefaultRuleset.DECISION_TIME.plusSeconds(60)));

            List<Evaluation> answers = evaluator.evaluateAll(questions);

            assertThat(evaluator.workerPid())
                    .as("no second worker, no second compile")
                    .isEqualTo(validatedBy);
            for (int i = 0; i < questions.size(); i++) {
                assertThat(SandboxMessages.JSON.writeValueAsString(answers.get(i)))
                        .isEqualTo(SandboxMessages.JSON.writeValueAsString(DefaultRuleset.compiled()
                                .evaluate(
                                        questions.get(i).application(),
                                        questions.get(i).decisionTime())));
            }
        } finally {
            kept.close();
        }
        assertThat(evaluator.workerPid()).isEqualTo(-1);
        assertThat(exits(validatedBy)).as("killed, then reaped").isTrue();
    }

    @Test
    void noWorkerOutlivesItsIdleTimeoutNotEvenOneStartedAfterItsEvaluatorWasClosed() throws Exception {
        CandidateSandbox sandbox = new CandidateSandbox(
                new SandboxProperties("256m", Duration.ofSeconds(120), Duration.ofSeconds(10), Duration.ofSeconds(1)),
                ENGINE);
        SandboxedRuleset evaluator = (SandboxedRuleset) sandbox.evaluator(DEFAULT);
        var application = Applications.typical().build();
        try {
            evaluator.evaluate(application, DefaultRuleset.DECISION_TIME);
            long first = evaluator.workerPid();
            assertThat(first).isPositive();
            assertThat(exits(first)).as("stopped once idle").isTrue();
            assertThat(evaluator.workerPid()).isEqualTo(-1);

            // closed while a holder (a backtest, a shadow challenger dropped from the cache) still evaluates under it
            evaluator.close();
            Evaluation after = evaluator.evaluate(application, DefaultRuleset.DECISION_TIME);

            assertThat(after.engineError()).isFalse();
            assertThat(after.outcome()).isEqualTo(Outcome.APPROVED);
            long second = evaluator.workerPid();
            assertThat(second).isPositive().isNotEqualTo(first);
            assertThat(exits(second)).as("its idle check started with it").isTrue();
            assertThat(evaluator.workerPid()).isEqualTo(-1);
        } finally {
            evaluator.close();
        }
    }

    /** Whether the process ends within a minute. */
    private static boolean exits(long pid) {
        return ProcessHandle.of(pid)
                .map(process -> {
                    try {
                        process.onExit().get(60, TimeUnit.SECONDS);
                        return true;
                    } catch (Exception e) {
                        return false;
                    }
                })
                .orElse(true);
    }

    @Test
    void aCandidateEvaluatedInTheSandboxDecidesExactlyAsInTheService() throws Exception {
        var evaluator =
                sandbox("256m", Duration.ofSeconds(120), Duration.ofSeconds(10)).evaluator(DEFAULT);
        try {
            var application = Applications.typical().build();
            Evaluation sandboxed = evaluator.evaluate(application, DefaultRuleset.DECISION_TIME);
            Evaluation local = DefaultRuleset.evaluate(application);

            // exactly the same answer and trace, as the decision log would write them
            assertThat(SandboxMessages.JSON.writeValueAsString(sandboxed))
                    .isEqualTo(SandboxMessages.JSON.writeValueAsString(local));
            assertThat(sandboxed.outcome()).isEqualTo(Outcome.APPROVED);
        } finally {
            ((AutoCloseable) evaluator).close();
        }
    }

    @Test
    void manyQuestionsAskedAtOnceGetTheAnswersOfEachAskedAloneAndOneThatKillsTheWorkerGetsTheSafeReferral()
            throws Exception {
        // a candidate whose limit, for a buyer with a revenue of exactly 4,242,424, is the length of a text that grows
        // tenfold nine times over (a billion characters), which ends the worker on its 256m heap; for every other
        // buyer it is the live limit
        String text = "\"x\"";
        for (int i = 0; i < 9; i++) {
            text = "replace(" + text + ", \"x\", \"xxxxxxxxxx\")";
        }
        RulesetSource candidate = withAssessedLimit(
                "if Customer.annualRevenue = 4242424 then string length(" + text + ") else " + LIVE_ASSESSED_LIMIT);
        // 120 questions of about 1 KB each, answers of about 2.5 KB: more than a pipe holds, in both directions
        List<CompiledRuleset.Question> questions = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            questions.add(new CompiledRuleset.Question(
                    Applications.typical()
                            .id("BATCH-" + i)
                            .annualRevenue(i == 60 ? "4242424" : String.valueOf(2_000_000 + 99_991 * i))
                            .amount(String.valueOf(1000 + 997 * i))
                            .creditScore(40 + i % 60)
                            .requestedTermDays(List.of(15, 30, 45, 60, 90).get(i % 5))
                            .build(),
                    DefaultRuleset.DECISION_TIME.plusSeconds(i)));
        }
        List<Evaluation> answers = askedAtOnce(candidate, questions);

        assertThat(answers).hasSize(120);
        CompiledRuleset inService = DefaultRuleset.engine().compile(candidate);
        for (int i = 0; i < 120; i++) {
            if (i == 60) {
                continue; // it would take the test's own heap
            }
            CompiledRuleset.Question question = questions.get(i);
            assertThat(SandboxMessages.JSON.writeValueAsString(answers.get(i)))
                    .as("answer %d", i)
                    .isEqualTo(SandboxMessages.JSON.writeValueAsString(
                            inService.evaluate(question.application(), question.decisionTime())));
        }
        Evaluation killed = answers.get(60);
        assertThat(killed.engineError()).isTrue();
        assertThat(killed.outcome()).isEqualTo(Outcome.REFERRED);
        assertThat(killed.creditLimit()).isEqualByComparingTo("0");
        assertThat(killed.trace().errors()).singleElement().asString().contains("256m memory budget");
        assertThat(answers.stream().filter(Evaluation::engineError)).hasSize(1);
    }

    @Test
    void feelsMatchesAndReplaceDecideInTheSandboxAsInTheService() throws Exception {
        // both run on Saxon, whose XML resolver reads its settings from the environment at every call: the sandbox
        // used to refuse that, and a candidate using them came out as an engine error only there
        RulesetSource candidate = withAssessedLimit(
                "if matches(Customer.id, \"^RX-\") then string length(replace(Customer.id, \"X\", \"XXXXXX\")) * 1000 "
                        + "else 7000");
        List<CompiledRuleset.Question> questions = List.of(
                new CompiledRuleset.Question(Applications.typical().id("RX-1").build(), DefaultRuleset.DECISION_TIME),
                new CompiledRuleset.Question(Applications.typical().id("AB-1").build(), DefaultRuleset.DECISION_TIME));
        List<Evaluation> answers = askedAtOnce(candidate, questions);

        assertThat(answers).extracting(Evaluation::engineError).containsExactly(false, false);
        assertThat(answers.get(0).trace().decisions().get("Assessed Limit")).hasToString("9000");
        assertThat(answers.get(1).trace().decisions().get("Assessed Limit")).hasToString("7000");
        CompiledRuleset inService = DefaultRuleset.engine().compile(candidate);
        for (int i = 0; i < questions.size(); i++) {
            assertThat(SandboxMessages.JSON.writeValueAsString(answers.get(i)))
                    .isEqualTo(SandboxMessages.JSON.writeValueAsString(inService.evaluate(
                            questions.get(i).application(), questions.get(i).decisionTime())));
        }
    }

    /** The questions asked of {@code candidate} in a sandbox worker, all at once. */
    private static List<Evaluation> askedAtOnce(RulesetSource candidate, List<CompiledRuleset.Question> questions)
            throws Exception {
        var evaluator =
                sandbox("256m", Duration.ofSeconds(120), Duration.ofSeconds(60)).evaluator(candidate);
        try {
            return evaluator.evaluateAll(questions);
        } finally {
            ((AutoCloseable) evaluator).close();
        }
    }

    /** The default ruleset with the DMN's Assessed Limit computed by {@code expression} instead. */
    private static RulesetSource withAssessedLimit(String expression) {
        String dmn = new String(DEFAULT.file("decision-tables/credit-terms.dmn"), StandardCharsets.UTF_8);
        assertThat(dmn).contains(LIVE_ASSESSED_LIMIT);
        java.util.SortedMap<String, byte[]> files = new java.util.TreeMap<>(DEFAULT.files());
        files.put(
                "decision-tables/credit-terms.dmn",
                dmn.replace(LIVE_ASSESSED_LIMIT, expression).getBytes(StandardCharsets.UTF_8));
        return RulesetSource.of(files);
    }

    private static final String LIVE_ASSESSED_LIMIT =
            "floor(min(Customer.annualRevenue * Revenue Share, Limit Cap) / 1000) * 1000";

    @Test
    void aCandidateDecidesNoReferralsAndRefusesToSayWhoMayApprove() throws Exception {
        var evaluator =
                sandbox("256m", Duration.ofSeconds(120), Duration.ofSeconds(10)).evaluator(DEFAULT);
        try {
            AuthorityAnswer answer = evaluator.authority(new AuthorityQuestion(
                    ApprovalRoute.CFO, new BigDecimal("1000"), "A", BigDecimal.ZERO, 30, BigDecimal.ZERO));

            assertThat(answer.mayApprove()).isFalse();
            assertThat(answer.error()).isEqualTo("candidate rulesets decide no referrals");
        } finally {
            ((AutoCloseable) evaluator).close();
        }
    }

    @Test
    void aCandidatePastItsDeadlineIsRejectedAndItsWorkerKilled() {
        assertThatThrownBy(() -> sandbox("256m", Duration.ofSeconds(1), Duration.ofSeconds(1))
                        .validate(DEFAULT, DefaultRuleset.DECISION_TIME))
                .isInstanceOfSatisfying(
                        RulesetRejectedException.class,
                        e -> assertThat(e.problems())
                                .singleElement()
                                .satisfies(p ->
                                        assertThat(p.message()).contains("did not finish within 1 s in the sandbox")));
    }

    @Test
    void aCandidateThatExhaustsItsHeapIsRejected() {
        assertThatThrownBy(() -> sandbox("24m", Duration.ofSeconds(120), Duration.ofSeconds(10))
                        .validate(DEFAULT, DefaultRuleset.DECISION_TIME))
                .isInstanceOfSatisfying(
                        RulesetRejectedException.class,
                        e -> assertThat(e.problems())
                                .singleElement()
                                .satisfies(p -> assertThat(p.message()).contains("24m memory budget")));
    }

    @Test
    void codeInTheWorkerCanNeitherWriteNorConnectNorExitNorReadTheEnvironment() throws Exception {
        Path marker = dir.resolve("pwned.txt");
        Path secret = Files.writeString(dir.resolve("secret.txt"), "the database password");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Djava.security.manager=allow",
                "-cp",
                System.getProperty("java.class.path"),
                SandboxProbe.class.getName(),
                marker.toString(),
                secret.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(false);
        builder.environment().clear(); // as WorkerProcess starts a worker
        Process probe = builder.start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(probe.getInputStream(), StandardCharsets.UTF_8))) {
            out.lines().forEach(lines::add);
        }
        assertThat(probe.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(lines)
                .containsExactly(
                        "environment=0",
                        "write=denied",
                        "delete=denied",
                        "read=denied",
                        "read-through-proc=denied",
                        "read-service-environment=denied",
                        "exec=denied",
                        "connect=denied",
                        "getenv=denied",
                        "getenv-xml-catalog=allowed",
                        "write-answers-stream=denied",
                        "exit=denied",
                        "setSecurityManager=denied",
                        "classes=allowed",
                        "marker=false");
        assertThat(probe.exitValue()).isZero();
        assertThat(Files.readString(secret)).isEqualTo("the database password");
    }
}
