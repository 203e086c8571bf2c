package io.termsgate.engine.drools;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.kie.dmn.api.core.DMNModel;
import org.kie.dmn.api.core.DMNRuntime;

/**
 * The proof that compiled DMN answers as KIE's interpreter does (docs/decision-services.md, "Compiled evaluation"):
 * every scenario of the shipped ruleset decided both ways; each shipped model on generated inputs (boundaries of its
 * tables, random values, nulls, wrong types); and generated models of every hit policy and input type with random
 * literal expressions, each evaluated both ways and compared exactly. Sized for CI here; src/bench/dmn-differential.sh
 * runs it at full size (100,000 inputs per shipped model, 550 generated models).
 */
class DmnCompiledDifferentialTest {

    static final int PER_SHIPPED_MODEL = Integer.getInteger("differential.inputs", 2_500);

    static Map<String, byte[]> shippedDmn() throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        try (var paths = Files.list(Path.of("decision-tables"))) {
            for (Path path : paths.filter(p -> p.toString().endsWith(".dmn")).toList()) {
                files.put("decision-tables/" + path.getFileName(), Files.readAllBytes(path));
            }
        }
        return files;
    }

    /** The interpreter logs every failed evaluation at ERROR; here failures are what the inputs are made for. */
    private static ch.qos.logback.classic.Level quiet() {
        ch.qos.logback.classic.Logger kie =
                (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("org.kie.dmn");
        ch.qos.logback.classic.Level before = kie.getLevel();
        kie.setLevel(ch.qos.logback.classic.Level.OFF);
        return before;
    }

    private static void restore(ch.qos.logback.classic.Level level) {
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("org.kie.dmn")).setLevel(level);
    }

    @Test
    void everyShippedModelAnswersAsTheInterpreterOnGeneratedInputs() throws IOException {
        ch.qos.logback.classic.Level level = quiet();
        try {
            shippedModels();
        } finally {
            restore(level);
        }
    }

    /**
     * Every scenario of the ruleset (the credit policy examples, the credit-line cases, the dunning model's), run
     * through a ruleset that decides each case twice, compiled and interpreted, and must get equal answers: the whole
     * evaluation (outcome, limits, reasons, the trace with every decision and table), the authority answers and the
     * model results.
     */
    @Test
    void everyShippedScenarioDecidesTheSameCompiledAndInterpreted() {
        io.termsgate.engine.RulesetSource source = io.termsgate.ruleset.RulesetFiles.readFolder(Path.of("."));
        // the default ruleset as the tests share it: compiled DMN, the service's default
        io.termsgate.engine.CompiledRuleset compiled = io.termsgate.support.DefaultRuleset.compiled();
        io.termsgate.engine.CompiledRuleset interpreted = new DroolsDecisionEngine(
                        new EngineProperties(10_000, EngineProperties.DmnMode.INTERPRETED, 0))
                .compile(source);
        BothWays both = new BothWays(compiled, interpreted);
        io.termsgate.ruleset.ScenarioRunner.Report report = io.termsgate.ruleset.ScenarioRunner.run(
                source, both, io.termsgate.support.DefaultRuleset.DECISION_TIME);
        assertThat(report.asProblems()).isEmpty();
        assertThat(both.differences).isEmpty();
        assertThat(both.decisions)
                .isEqualTo(report.results().stream()
                        .filter(r -> !r.file().endsWith("dunning.csv"))
                        .count());
        assertThat(both.modelCalls).isPositive();
        System.out.printf(
                "Differential, scenarios: %d cases, %d credit decisions, %d model calls, %d authority questions"
                        + " decided both ways, all equal%n",
                report.total(), both.decisions, both.modelCalls, both.authority);
    }

    /** A ruleset that asks two and compares: what the scenarios see is the compiled one's answer. */
    private static final class BothWays implements io.termsgate.engine.CompiledRuleset {
        private final io.termsgate.engine.CompiledRuleset compiled;
        private final io.termsgate.engine.CompiledRuleset interpreted;
        final List<String> differences = new java.util.ArrayList<>();
        long decisions;
        long modelCalls;
        long authority;

        BothWays(io.termsgate.engine.CompiledRuleset compiled, io.termsgate.engine.CompiledRuleset interpreted) {
            this.compiled = compiled;
            this.interpreted = interpreted;
        }

        private <T> T same(String what, T a, T b) {
            if (!java.util.Objects.equals(a, b)) {
                differences.add(what + ": compiled " + a + " vs interpreted " + b);
            }
            return a;
        }

        @Override
        public String version() {
            return compiled.version();
        }

        @Override
        public List<io.termsgate.engine.RulesetProblem> warnings() {
            return compiled.warnings();
        }

        @Override
        public io.termsgate.engine.Evaluation evaluate(
                io.termsgate.engine.CreditApplication application, java.time.Instant decisionTime) {
            decisions++;
            return same(
                    "decision",
                    compiled.evaluate(application, decisionTime),
                    interpreted.evaluate(application, decisionTime));
        }

        @Override
        public io.termsgate.engine.AuthorityAnswer authority(io.termsgate.engine.AuthorityQuestion question) {
            authority++;
            return same("authority", compiled.authority(question), interpreted.authority(question));
        }

        @Override
        public List<io.termsgate.engine.ModelDescription> models() {
            return compiled.models();
        }

        @Override
        public java.util.Optional<io.termsgate.engine.ModelResult> evaluateModel(
                String modelName, String decisionService, Map<String, Object> inputs) {
            modelCalls++;
            return same(
                    "model " + modelName,
                    compiled.evaluateModel(modelName, decisionService, inputs),
                    interpreted.evaluateModel(modelName, decisionService, inputs));
        }
    }

    static final int GENERATED_MODELS = Integer.getInteger("differential.models", 88);
    static final int PER_GENERATED_MODEL = Integer.getInteger("differential.model-inputs", 150);

    @Test
    void generatedModelsOfEveryHitPolicyAndInputTypeAnswerAsTheInterpreter() {
        ch.qos.logback.classic.Level level = quiet();
        try {
            generatedModels();
        } finally {
            restore(level);
        }
    }

    private void generatedModels() {
        long started = System.nanoTime();
        GeneratedDmnModels generator = new GeneratedDmnModels(20261201L);
        Map<String, int[]> byPolicy = new TreeMap<>(); // models, compiled models, compared, handed on
        List<String> mismatches = new java.util.ArrayList<>();
        int invalid = 0;
        for (int batch = 0; batch < GENERATED_MODELS; batch += 55) {
            Map<String, byte[]> files = new TreeMap<>();
            Map<String, String> policyOf = new java.util.HashMap<>();
            for (int i = batch; i < Math.min(batch + 55, GENERATED_MODELS); i++) {
                GeneratedDmnModels.Generated model = generator.next(i);
                files.put(
                        "decision-tables/" + model.name() + ".dmn", model.xml().getBytes(StandardCharsets.UTF_8));
                policyOf.put(model.name(), model.policy());
            }
            DMNRuntime runtime = DmnDifferential.runtime(files);
            for (DMNModel model : runtime.getModels()) {
                if (model.hasErrors()) {
                    invalid++;
                    continue;
                }
                int[] counts = byPolicy.computeIfAbsent(policyOf.get(model.getName()), p -> new int[4]);
                DmnDifferential differential = new DmnDifferential(runtime, model);
                counts[0]++;
                counts[1] += differential.compiled.compiled() ? 1 : 0;
                for (int i = 0; i < PER_GENERATED_MODEL; i++) {
                    differential.check(generator.inputs());
                }
                counts[2] += differential.compared;
                counts[3] += differential.handedOn;
                mismatches.addAll(differential.mismatches);
            }
        }
        assertThat(mismatches).isEmpty();
        assertThat(invalid).as("generated models the DMN compiler rejected").isLessThan(GENERATED_MODELS / 4);
        int compared = byPolicy.values().stream().mapToInt(c -> c[2]).sum();
        assertThat(byPolicy).hasSize(GeneratedDmnModels.POLICIES.length);
        byPolicy.forEach((policy, counts) -> assertThat(counts[2]).as(policy).isPositive());
        StringBuilder summary = new StringBuilder();
        byPolicy.forEach((policy, c) -> summary.append(String.format(
                "  %-14s %3d models (%3d compiled), %6d evaluations compared, %6d handed to the interpreter%n",
                policy, c[0], c[1], c[2], c[3])));
        System.out.printf(
                "Differential, %d generated models (%d refused by KIE's DMN compiler: FEEL it rejects) x %d inputs"
                        + " (%.1f s), %d compared:%n%s",
                GENERATED_MODELS, invalid, PER_GENERATED_MODEL, (System.nanoTime() - started) / 1e9, compared, summary);
    }

    private void shippedModels() throws IOException {
        Map<String, byte[]> files = shippedDmn();
        DMNRuntime runtime = DmnDifferential.runtime(files);
        assertThat(runtime.getModels()).hasSize(files.size());
        long started = System.nanoTime();
        StringBuilder summary = new StringBuilder();
        for (DMNModel model : runtime.getModels()) {
            DmnDifferential differential = new DmnDifferential(runtime, model);
            assertThat(differential.compiled.compiled())
                    .as("%s is compiled: %s", model.getName(), differential.compiled.coverage())
                    .isTrue();
            String xml = files.entrySet().stream()
                    .filter(e -> DmnDifferential.xml(e.getValue()).contains("name=\"" + model.getName() + "\""))
                    .map(e -> DmnDifferential.xml(e.getValue()))
                    .findFirst()
                    .orElseThrow();
            DmnDifferential.Inputs inputs =
                    new DmnDifferential.Inputs(model.getName().hashCode(), xml);
            for (int i = 0; i < PER_SHIPPED_MODEL; i++) {
                differential.check(inputs.forModel(model));
            }
            assertThat(differential.mismatches).as(model.getName()).isEmpty();
            assertThat(differential.compared + differential.handedOn).isEqualTo(PER_SHIPPED_MODEL);
            // the generator must reach the compiled path most of the time, or the comparison proves little
            assertThat(differential.compared).as(model.getName()).isGreaterThan(PER_SHIPPED_MODEL / 10);
            summary.append(String.format(
                    "  %-13s %7d inputs: %7d answered compiled and compared, %6d handed to the interpreter (%d of"
                            + " them answered cleanly by it)%n",
                    model.getName(),
                    PER_SHIPPED_MODEL,
                    differential.compared,
                    differential.handedOn,
                    differential.needlessly));
        }
        System.out.printf("Differential, shipped models (%.1f s):%n%s", (System.nanoTime() - started) / 1e9, summary);
    }
}
