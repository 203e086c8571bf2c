package io.termsgate.ruleset.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.termsgate.engine.ApprovalRoute;
import io.termsgate.engine.AuthorityAnswer;
import io.termsgate.engine.AuthorityQuestion;
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
                        "exit=denied",
                        "setSecurityManager=denied",
                        "classes=allowed",
                        "marker=false");
        assertThat(probe.exitValue()).isZero();
        assertThat(Files.readString(secret)).isEqualTo("the database password");
    }
}
