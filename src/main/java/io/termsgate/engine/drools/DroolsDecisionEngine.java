package io.termsgate.engine.drools;

import io.termsgate.engine.CompiledRuleset;
import io.termsgate.engine.DecisionEngine;
import io.termsgate.engine.RulesetPaths;
import io.termsgate.engine.RulesetProblem;
import io.termsgate.engine.RulesetRejectedException;
import io.termsgate.engine.RulesetSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import org.kie.dmn.api.core.event.AfterEvaluateDecisionTableEvent;
import org.kie.dmn.api.core.event.DMNRuntimeEventListener;
import org.springframework.core.env.Environment;
import org.springframework.core.env.Profiles;
import org.springframework.stereotype.Component;

/**
 * The Drools and DMN implementation of the engine: DRL for knock-outs, spreadsheet decision tables for the
 * scorecard, DMN for limits, terms and routing, all compiled from the ruleset's files at run time.
 */
@Component
public class DroolsDecisionEngine implements DecisionEngine {

    private final EngineProperties properties;
    private final DmnVerifier verifier;
    private final Map<String, String> versions;
    private final RuleBaseCache cache;
    private volatile EarlyCompile early;

    /**
     * An engine that compiles every ruleset it is given and keeps nothing on disk: what the sandbox worker (which
     * compiles candidates nobody approved yet) and the tests use, whatever the settings say about the cache.
     */
    public DroolsDecisionEngine(EngineProperties properties) {
        this(properties, (RuleBaseCache) null);
    }

    /**
     * The service's engine.
     *
     * @param early a compile the launcher started before the context (see {@link EarlyCompile}), or none
     * @param environment decides whether the compiled ruleset cache may generate its own key (not under prod)
     */
    @org.springframework.beans.factory.annotation.Autowired
    public DroolsDecisionEngine(
            EngineProperties properties,
            org.springframework.beans.factory.ObjectProvider<EarlyCompile> early,
            Environment environment) {
        this(properties, cacheFor(properties, environment));
        this.early = early == null ? null : early.getIfAvailable();
    }

    DroolsDecisionEngine(EngineProperties properties, RuleBaseCache cache) {
        this.cache = cache;
        this.properties = properties;
        this.verifier = DmnVerifier.of(properties);
        Map<String, String> v = new LinkedHashMap<>();
        v.put("drools", mavenVersion("org.drools", "drools-core"));
        v.put("kie-dmn", mavenVersion("org.kie", "kie-dmn-core"));
        v.put("java", System.getProperty("java.version"));
        this.versions = Map.copyOf(v);
    }

    /** The compiled ruleset cache these settings ask for in this environment, or {@code null}. */
    static RuleBaseCache cacheFor(EngineProperties properties, Environment environment) {
        return cacheFor(properties, environment.acceptsProfiles(Profiles.of("prod")));
    }

    static RuleBaseCache cacheFor(EngineProperties properties, boolean prodProfile) {
        return RuleBaseCache.open(properties, prodProfile).orElse(null);
    }

    @Override
    public Map<String, String> versions() {
        return versions;
    }

    /** Once the service is up, an early compile nobody took is only memory. */
    @org.springframework.context.event.EventListener(org.springframework.boot.context.event.ApplicationReadyEvent.class)
    void startedUp() {
        EarlyCompile unused = early;
        early = null;
        if (unused != null) {
            unused.discard();
        }
    }

    @Override
    public CompiledRuleset compile(RulesetSource source) {
        EarlyCompile early = this.early;
        CompiledRuleset precompiled = early == null ? null : early.take(source, properties);
        if (precompiled != null) {
            this.early = null;
            return precompiled;
        }
        return compileNow(source);
    }

    @Override
    public List<RulesetProblem> checkLanguage(RulesetSource source) {
        RuleFiles files = RuleFiles.of(source);
        List<RulesetProblem> problems = new ArrayList<>(files.problems());
        problems.addAll(RuleBaseCompiler.checkLanguage(files.drl(), files.spreadsheets()));
        problems.addAll(DmnCompiler.checkLanguage(files.dmn()));
        problems.addAll(DmnCompiler.requireAuthorityTable(files.dmn()));
        return problems;
    }

    /** A ruleset's files by what reads them; spreadsheets already converted to DRL (with their problems). */
    private record RuleFiles(
            Map<String, String> drl,
            List<SpreadsheetTables.Converted> spreadsheets,
            Map<String, byte[]> dmn,
            List<RulesetProblem> problems) {

        static RuleFiles of(RulesetSource source) {
            RuleFiles files = new RuleFiles(new TreeMap<>(), new ArrayList<>(), new TreeMap<>(), new ArrayList<>());
            source.files().forEach((path, bytes) -> {
                switch (RulesetPaths.kindOf(path)) {
                    case DRL -> files.drl().put(path, new String(bytes, StandardCharsets.UTF_8));
                    case SPREADSHEET -> {
                        SpreadsheetTables.Converted converted =
                                SpreadsheetTables.convert(path, bytes, files.problems());
                        if (converted != null) {
                            files.spreadsheets().add(converted);
                        }
                    }
                    case DMN -> files.dmn().put(path, bytes);
                    case SCENARIOS -> {
                        // analysts' test cases: run by the ruleset lifecycle, not part of what decides
                    }
                }
            });
            return files;
        }
    }

    CompiledRuleset compileNow(RulesetSource source) {
        RuleFiles files = RuleFiles.of(source);
        List<RulesetProblem> problems = files.problems();
        Map<String, String> drl = files.drl();
        Map<String, byte[]> dmn = files.dmn();
        List<SpreadsheetTables.Converted> spreadsheets = files.spreadsheets();
        if (spreadsheets.isEmpty() && problems.stream().noneMatch(RulesetProblem::isError)) {
            problems.add(
                    RulesetProblem.error(
                            "decision-tables/",
                            "",
                            "the ruleset has no spreadsheet decision table; the risk scorecard (risk score and grade) comes from one"));
        }
        // the two halves compile independently: the DMN models on another core while the rules compile here
        List<RulesetProblem> dmnProblems = new ArrayList<>();
        CompletableFuture<DmnCompiler.Compiled> dmnModel =
                CompletableFuture.supplyAsync(() -> DmnCompiler.compile(dmn, dmnProblems, verifier, cache), COMPILER);
        RuleBaseCompiler.RuleBase ruleBase = RuleBaseCompiler.compile(drl, spreadsheets, problems, cache);
        DmnCompiler.Compiled model = dmnModel.join();
        problems.addAll(dmnProblems);
        if (ruleBase == null || model == null || problems.stream().anyMatch(RulesetProblem::isError)) {
            throw new RulesetRejectedException(problems);
        }
        model.runtime().addListener(TRACE_LISTENER);
        return new DroolsCompiledRuleset(source.version(), ruleBase, model, problems, properties.maxRuleFirings());
    }

    static final Executor COMPILER = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "ruleset-compiler");
        thread.setDaemon(true);
        return thread;
    });

    /**
     * DMN listeners belong to the runtime, which all threads share: this one keeps no state and hands each event to
     * the collector that the evaluation put into its own context.
     */
    static final DMNRuntimeEventListener TRACE_LISTENER = new DMNRuntimeEventListener() {
        @Override
        public void afterEvaluateDecisionTable(AfterEvaluateDecisionTableEvent event) {
            Object collector = event.getResult().getContext().getMetadata().get(DroolsCompiledRuleset.TRACE_KEY);
            if (collector instanceof TraceCollector trace) {
                trace.decisionTable(event);
            }
        }
    };

    static String mavenVersion(String group, String artifact) {
        String resource = "META-INF/maven/" + group + "/" + artifact + "/pom.properties";
        try (InputStream in = DroolsDecisionEngine.class.getClassLoader().getResourceAsStream(resource)) {
            if (in != null) {
                Properties properties = new Properties();
                properties.load(in);
                return properties.getProperty("version", "unknown");
            }
        } catch (IOException e) {
            // fall through
        }
        return "unknown";
    }
}
