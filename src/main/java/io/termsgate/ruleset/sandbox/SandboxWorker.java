package io.termsgate.ruleset.sandbox;

import io.termsgate.engine.CompiledRuleset;
import io.termsgate.engine.Evaluation;
import io.termsgate.engine.RulesetProblem;
import io.termsgate.engine.RulesetRejectedException;
import io.termsgate.engine.RulesetSource;
import io.termsgate.engine.drools.DroolsDecisionEngine;
import io.termsgate.engine.drools.EngineProperties;
import io.termsgate.ruleset.ScenarioRunner;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * The process a candidate ruleset runs in before anyone approved it: started by {@link CandidateSandbox} from the
 * service's own jar with an empty environment, a small heap and one processor, it reads its files and work from
 * standard input, puts up {@link SandboxSecurity}, and answers on standard output with data only. It has no
 * database, no keys and no network; the service kills it at its deadline.
 */
public final class SandboxWorker {

    private SandboxWorker() {}

    @SuppressWarnings({"removal", "deprecation"})
    public static void main(String[] args) throws Exception {
        // answers go to the real standard output; everything else (library logging) to standard error
        // each answer written and flushed at once
        OutputStream answers = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16);
        System.setOut(System.err);
        quietLogging();
        BufferedReader input = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String first = input.readLine();
        if (first == null) {
            return;
        }
        SandboxMessages.Start start = SandboxMessages.JSON.readValue(first, SandboxMessages.Start.class);
        RulesetSource source = RulesetSource.of(start.files());
        DroolsDecisionEngine engine = new DroolsDecisionEngine(new EngineProperties(start.maxRuleFirings()));

        SandboxSecurity security = new SandboxSecurity();
        System.setSecurityManager(security);

        CompiledRuleset ruleset = null;
        SandboxMessages.Validation validation;
        try {
            ruleset = engine.compile(source);
            List<RulesetProblem> warnings = new ArrayList<>(ruleset.warnings());
            ScenarioRunner.Report scenarios = start.mode() == SandboxMessages.Mode.VALIDATE
                    ? ScenarioRunner.run(source, ruleset, start.now())
                    : null;
            validation = new SandboxMessages.Validation(true, List.of(), warnings, scenarios);
        } catch (RulesetRejectedException e) {
            validation = new SandboxMessages.Validation(false, e.problems(), List.of(), null);
        }
        answer(answers, validation);
        // after a validation too: the service may keep a validated candidate's worker to evaluate it
        if (ruleset != null) {
            for (String line = input.readLine(); line != null; line = input.readLine()) {
                SandboxMessages.Ask ask = SandboxMessages.JSON.readValue(line, SandboxMessages.Ask.class);
                Evaluation evaluation = ruleset.evaluate(ask.toApplication(), ask.decisionTime());
                // each answer on its way at once: one held back would be lost if a later question ends the worker,
                // and its deadline passed waiting for an answer long given
                answer(answers, new SandboxMessages.Answer(evaluation));
            }
        }
        security.allowExit();
        System.exit(0);
    }

    private static void answer(OutputStream answers, Object message) throws Exception {
        answers.write(SandboxMessages.JSON.writeValueAsBytes(message));
        answers.write('\n');
        answers.flush();
    }

    private static void quietLogging() {
        if (LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME) instanceof ch.qos.logback.classic.Logger root) {
            root.setLevel(ch.qos.logback.classic.Level.WARN);
        }
    }
}
