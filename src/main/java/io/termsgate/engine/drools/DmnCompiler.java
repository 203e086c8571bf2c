package io.termsgate.engine.drools;

import io.termsgate.engine.AuthorityAnswer;
import io.termsgate.engine.AuthorityQuestion;
import io.termsgate.engine.RulesetProblem;
import io.termsgate.engine.SafeXml;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.kie.api.KieServices;
import org.kie.api.io.Resource;
import org.kie.api.io.ResourceType;
import org.kie.dmn.api.core.DMNMessage;
import org.kie.dmn.api.core.DMNModel;
import org.kie.dmn.api.core.DMNRuntime;
import org.kie.dmn.api.core.DMNType;
import org.kie.dmn.api.core.ast.BusinessKnowledgeModelNode;
import org.kie.dmn.api.core.ast.DecisionNode;
import org.kie.dmn.api.core.ast.InputDataNode;
import org.kie.dmn.core.compiler.RuntimeModeOption;
import org.kie.dmn.core.compiler.RuntimeTypeCheckOption;
import org.kie.dmn.core.impl.DMNRuntimeImpl;
import org.kie.dmn.core.internal.utils.DMNRuntimeBuilder;
import org.kie.dmn.feel.util.Either;
import org.kie.dmn.model.api.DecisionRule;
import org.kie.dmn.model.api.DecisionTable;
import org.kie.dmn.model.api.Expression;
import org.kie.dmn.model.api.FunctionDefinition;
import org.kie.dmn.model.api.LiteralExpression;
import org.kie.dmn.model.api.OutputClause;
import org.kie.dmn.validation.DMNValidator;
import org.kie.dmn.validation.DMNValidatorFactory;

/**
 * Compiles the DMN models of a ruleset: schema and model validation, decision table analysis (gaps, overlaps, masked
 * rules), compilation, and the checks that one model produces every output of the decision contract from inputs the
 * service provides, and that one other model, the delegated-authority table, answers every approver level. The
 * runtime it returns runs in strict mode with type checks on.
 */
final class DmnCompiler {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(DmnCompiler.class);

    /** The decisions the service reads from the credit terms model: its outputs. */
    static final Set<String> CONTRACT_DECISIONS = new LinkedHashSet<>(List.of(
            DmnNames.OUTCOME,
            DmnNames.APPROVAL_ROUTE,
            DmnNames.CREDIT_LIMIT,
            DmnNames.AVAILABLE_CREDIT,
            DmnNames.TERM_DAYS,
            DmnNames.REASONS));

    /**
     * The contract model, compiled, the rule ids of each of its decision tables (by table id, in order), and the
     * delegated-authority table.
     */
    record Compiled(
            DMNRuntime runtime,
            DMNModel model,
            String file,
            Map<String, List<String>> ruleIdsByTable,
            AuthorityTable authority,
            DmnModels models,
            CompiledDmnModel compiled,
            DmnVerifier verifier) {}

    private DmnCompiler() {}

    /** @return the compiled contract model, or {@code null} when there were errors (added to {@code problems}) */
    static Compiled compile(Map<String, byte[]> dmnFiles, List<RulesetProblem> problems) {
        return compile(dmnFiles, problems, DmnVerifier.INTERPRETED, null);
    }

    /**
     * @param verifier how models are evaluated (compiled or interpreted) and how compiled ones are verified
     * @param cache where the DMN validator's findings are kept per set of DMN files, or {@code null} to run it every
     *        time
     */
    static Compiled compile(
            Map<String, byte[]> dmnFiles, List<RulesetProblem> problems, DmnVerifier verifier, RuleBaseCache cache) {
        if (dmnFiles.isEmpty()) {
            problems.add(RulesetProblem.error(
                    "decision-tables/",
                    "",
                    "the ruleset has no DMN model; one must decide " + String.join(", ", CONTRACT_DECISIONS)));
            return null;
        }
        int errorsBefore = errorCount(problems);
        Map<String, Map<String, String>> places = new HashMap<>();
        dmnFiles.forEach((path, bytes) -> {
            // parsed safely first: no DOCTYPE, hence no external entities, whatever the KIE parsers allow
            try {
                places.put(path, DmnLocations.of(SafeXml.parse(bytes)));
            } catch (IllegalArgumentException e) {
                problems.add(RulesetProblem.error(
                        path,
                        "",
                        "not a well-formed DMN file (DOCTYPE declarations are " + "not allowed): "
                                + ProblemReferences.clean(SpreadsheetTables.rootMessage(e))));
            }
        });
        if (errorCount(problems) > errorsBefore) {
            return null;
        }
        // the policy language, before anything is compiled: no Java, no imports from outside, no endless FEEL
        problems.addAll(checkLanguage(dmnFiles));
        if (errorCount(problems) > errorsBefore) {
            return null;
        }
        validate(dmnFiles, places, problems, cache);

        KieServices kie = KieServices.get();
        List<Resource> resources = new ArrayList<>();
        dmnFiles.forEach((path, bytes) -> {
            Resource resource = kie.getResources().newByteArrayResource(bytes);
            resource.setSourcePath(path);
            resource.setResourceType(ResourceType.DMN);
            resources.add(resource);
        });
        Either<Exception, DMNRuntime> built;
        try {
            built = DMNRuntimeBuilder.fromDefaults()
                    .setRootClassLoader(DmnCompiler.class.getClassLoader())
                    // type checks on: a value outside its type (a misspelt route, say) fails the decision
                    // instead of flowing on; costs about a fifth of DMN time, measured in docs/performance.md
                    .setOption(new RuntimeTypeCheckOption(true))
                    .buildConfiguration()
                    .fromResources(resources);
        } catch (RuntimeException e) {
            problems.add(RulesetProblem.error(
                    dmnFiles.keySet().iterator().next(),
                    "",
                    "the DMN models could not be "
                            + "compiled (reference " + ProblemReferences.logged(log, "The DMN compiler failed", e)
                            + " in the service log)"));
            return null;
        }
        DMNRuntime runtime = built.cata(
                failure -> {
                    problems.add(RulesetProblem.error(
                            dmnFiles.keySet().iterator().next(),
                            "",
                            "the DMN models could not be "
                                    + "compiled (reference "
                                    + ProblemReferences.logged(log, "The DMN compiler failed", failure)
                                    + " in the service log)"));
                    return null;
                },
                compiled -> compiled);
        if (runtime == null) {
            return null;
        }
        // strict: a decision that fails or comes out null fails the evaluation instead of passing null on
        ((DMNRuntimeImpl) runtime).setOption(new RuntimeModeOption(RuntimeModeOption.MODE.STRICT));

        Map<String, String> fileOfModel = new HashMap<>();
        for (DMNModel model : runtime.getModels()) {
            String file =
                    model.getResource() == null ? null : model.getResource().getSourcePath();
            fileOfModel.put(model.getNamespace(), file == null ? "decision-tables/" : file);
            if (model.hasErrors()) {
                Map<String, String> names =
                        new HashMap<>(places.getOrDefault(fileOfModel.get(model.getNamespace()), Map.of()));
                names.putAll(elementNames(model));
                for (DMNMessage message : model.getMessages(DMNMessage.Severity.ERROR)) {
                    problems.add(RulesetProblem.error(
                            fileOfModel.get(model.getNamespace()),
                            locate(model, names, message.getSourceId()),
                            message.getText()));
                }
            } else {
                checkOutputEntries(model, fileOfModel.get(model.getNamespace()), problems);
            }
        }
        // every model is a decision service, called by its name: two models of one name could not be told apart
        Map<String, List<String>> filesByName = new java.util.TreeMap<>();
        for (DMNModel model : runtime.getModels()) {
            filesByName
                    .computeIfAbsent(model.getName(), n -> new ArrayList<>())
                    .add(fileOfModel.get(model.getNamespace()));
        }
        filesByName.forEach((name, files) -> {
            if (files.size() > 1) {
                problems.add(RulesetProblem.error(
                        files.get(1),
                        "model '" + name + "'",
                        "another DMN model of this ruleset has the name '" + name + "' (" + files
                                + "): each model is called by its name, so names must differ"));
            }
        });
        // a decision service is called at /api/v1/models/{model}/{service}: "dmnresult" there means something else
        for (DMNModel model : runtime.getModels()) {
            model.getDecisionServices().stream()
                    .filter(s -> "dmnresult".equals(s.getName()))
                    .forEach(s -> problems.add(RulesetProblem.error(
                            fileOfModel.get(model.getNamespace()),
                            "decision service '" + s.getName() + "'",
                            "a decision service may not be named 'dmnresult': /api/v1/models/{model}/dmnresult is the "
                                    + "model's whole result")));
        }
        if (errorCount(problems) > errorsBefore) {
            return null;
        }
        Map<String, CompiledDmnModel> compiledModels = compileModels(runtime, fileOfModel, problems);
        Compiled contract = contractModel(runtime, fileOfModel, problems);
        // a version stored before the authority table existed still compiles (its decisions replay); it approves no
        // referral. New rulesets must have one: checkLanguage (the candidates' check) requires it
        boolean hasAuthority = runtime.getModels().stream()
                .anyMatch(m ->
                        m.getDecisions().stream().anyMatch(d -> AuthorityDmnNames.DECISIONS.contains(d.getName())));
        AuthorityTable authority =
                hasAuthority ? authorityModel(runtime, fileOfModel, problems, compiledModels, verifier) : null;
        return contract == null || (hasAuthority && authority == null)
                ? null
                : new Compiled(
                        contract.runtime(),
                        contract.model(),
                        contract.file(),
                        contract.ruleIdsByTable(),
                        authority,
                        new DmnModels(runtime, fileOfModel, compiledModels, verifier),
                        compiledModels.get(contract.model().getName()),
                        verifier);
    }

    /**
     * A new ruleset must carry its delegated-authority table: some DMN file declares a decision the authority table
     * decides (its whole contract is checked when it compiles). By parsing alone; files that do not parse are
     * reported by {@link #checkLanguage}.
     */
    static List<RulesetProblem> requireAuthorityTable(Map<String, byte[]> dmnFiles) {
        for (byte[] bytes : dmnFiles.values()) {
            try {
                org.w3c.dom.Document document = SafeXml.parse(bytes);
                org.w3c.dom.NodeList decisions = document.getElementsByTagNameNS(
                        document.getDocumentElement().getNamespaceURI(), "decision");
                for (int i = 0; i < decisions.getLength(); i++) {
                    String name = ((org.w3c.dom.Element) decisions.item(i)).getAttribute("name");
                    if (AuthorityDmnNames.DECISIONS.contains(name)) {
                        return List.of();
                    }
                }
            } catch (IllegalArgumentException e) {
                // not well-formed: checkLanguage says so
            }
        }
        String decisions = String.join(", ", AuthorityDmnNames.DECISIONS);
        return List.of(RulesetProblem.error(
                AuthorityDmnNames.FILE,
                "",
                "no DMN model decides " + decisions + ": the ruleset needs its delegated-authority table ("
                        + AuthorityDmnNames.FILE + ") to decide who may approve a referred order"));
    }

    /** Well-formedness and the policy language of every DMN file, by parsing alone (see {@link DmnPolicyLanguage}). */
    static List<RulesetProblem> checkLanguage(Map<String, byte[]> dmnFiles) {
        List<RulesetProblem> problems = new ArrayList<>();
        Map<String, org.w3c.dom.Document> documents = new HashMap<>();
        dmnFiles.forEach((path, bytes) -> {
            try {
                documents.put(path, SafeXml.parse(bytes));
            } catch (IllegalArgumentException e) {
                problems.add(RulesetProblem.error(
                        path,
                        "",
                        "not a well-formed DMN file (DOCTYPE declarations are " + "not allowed): "
                                + ProblemReferences.clean(SpreadsheetTables.rootMessage(e))));
            }
        });
        Set<String> bundle = new java.util.HashSet<>();
        documents.values().forEach(d -> bundle.add(DmnPolicyLanguage.namespaceOf(d)));
        documents.forEach((path, document) ->
                problems.addAll(DmnPolicyLanguage.check(path, document, DmnLocations.of(document), bundle)));
        return problems;
    }

    private static Compiled contractModel(
            DMNRuntime runtime, Map<String, String> fileOfModel, List<RulesetProblem> problems) {
        List<DMNModel> candidates = runtime.getModels().stream()
                .filter(m -> m.getDecisions().stream().anyMatch(d -> CONTRACT_DECISIONS.contains(d.getName())))
                .toList();
        if (candidates.size() != 1) {
            problems.add(RulesetProblem.error(
                    "decision-tables/",
                    "",
                    candidates.isEmpty()
                            ? "no DMN model decides " + String.join(", ", CONTRACT_DECISIONS)
                            : "more than one DMN model decides part of the contract: "
                                    + candidates.stream().map(DMNModel::getName).toList()
                                    + "; exactly one model must produce " + String.join(", ", CONTRACT_DECISIONS)));
            return null;
        }
        DMNModel model = candidates.get(0);
        String file = fileOfModel.get(model.getNamespace());
        Set<String> decisions = new TreeSet<>();
        model.getDecisions().forEach(d -> decisions.add(d.getName()));
        boolean ok = true;
        for (String required : CONTRACT_DECISIONS) {
            if (!decisions.contains(required)) {
                problems.add(RulesetProblem.error(
                        file,
                        "model '" + model.getName() + "'",
                        "no decision named '" + required + "': the service reads "
                                + String.join(", ", CONTRACT_DECISIONS) + " from this model"));
                ok = false;
            }
        }
        for (InputDataNode input : model.getInputs()) {
            if (!DmnNames.INPUTS.contains(input.getName())) {
                problems.add(RulesetProblem.error(
                        file,
                        "input data '" + input.getName() + "'",
                        "the service provides no input of that name; it provides "
                                + String.join(", ", DmnNames.INPUTS)));
                ok = false;
            }
        }
        return ok ? new Compiled(runtime, model, file, ruleIdsByTable(model), null, null, null, null) : null;
    }

    /**
     * The delegated-authority model: exactly one model decides May Approve, Approvers Needed and Due Business Hours
     * from the inputs of an authority question only, and answers a few sample questions at every level. The referral
     * module relies on each level getting an answer, so a table that cannot give one is refused here, not found out
     * on a referred order.
     */
    /**
     * Every model compiled into a fast evaluator ({@link CompiledDmnModel}), with a note for the validation answer of
     * how each model's decisions run: compiled, or interpreted and why.
     */
    private static Map<String, CompiledDmnModel> compileModels(
            DMNRuntime runtime, Map<String, String> fileOfModel, List<RulesetProblem> problems) {
        Map<String, CompiledDmnModel> compiled = new HashMap<>();
        for (DMNModel model : runtime.getModels()) {
            String file = fileOfModel.get(model.getNamespace());
            CompiledDmnModel one;
            try {
                one = CompiledDmnModel.compile(runtime, model);
            } catch (RuntimeException e) { // the compiler's own failure: the model runs interpreted, as before
                log.warn("DMN model '{}' could not be compiled; it runs interpreted", model.getName(), e);
                problems.add(RulesetProblem.info(
                        file, "model '" + model.getName() + "'", "runs interpreted: the DMN compiler failed on it"));
                continue;
            }
            compiled.put(model.getName(), one);
            List<String> compiledNodes = new ArrayList<>();
            List<String> interpretedNodes = new ArrayList<>();
            for (CompiledDmnModel.NodeCoverage node : one.coverage()) {
                if (node.compiled()) {
                    compiledNodes.add("'" + node.node() + "' (" + node.construct() + ")");
                } else {
                    interpretedNodes.add("'" + node.node() + "' (" + node.construct() + "): " + node.reason());
                }
            }
            problems.add(RulesetProblem.info(
                    file,
                    "model '" + model.getName() + "'",
                    one.compiled()
                            ? "runs compiled: " + String.join(", ", compiledNodes)
                            : "runs interpreted: " + String.join("; ", interpretedNodes)));
        }
        return compiled;
    }

    private static AuthorityTable authorityModel(
            DMNRuntime runtime,
            Map<String, String> fileOfModel,
            List<RulesetProblem> problems,
            Map<String, CompiledDmnModel> compiledModels,
            DmnVerifier verifier) {
        List<DMNModel> candidates = runtime.getModels().stream()
                .filter(m -> m.getDecisions().stream().anyMatch(d -> AuthorityDmnNames.DECISIONS.contains(d.getName())))
                .toList();
        if (candidates.size() != 1) {
            String decisions = String.join(", ", AuthorityDmnNames.DECISIONS);
            problems.add(RulesetProblem.error(
                    candidates.isEmpty()
                            ? fileOfModel.values().stream()
                                    .filter(f -> f.endsWith("/authority.dmn") || f.equals("authority.dmn"))
                                    .findFirst()
                                    .orElse(AuthorityDmnNames.FILE)
                            : "decision-tables/",
                    "",
                    candidates.isEmpty()
                            ? "no DMN model decides " + decisions + ": the ruleset needs its delegated-authority "
                                    + "table (" + AuthorityDmnNames.FILE + ") to decide who may approve a "
                                    + "referred order"
                            : "more than one DMN model decides part of the delegated authority: "
                                    + candidates.stream().map(DMNModel::getName).toList()
                                    + "; exactly one model must produce " + decisions));
            return null;
        }
        DMNModel model = candidates.get(0);
        String file = fileOfModel.get(model.getNamespace());
        Set<String> decisions = new TreeSet<>();
        model.getDecisions().forEach(d -> decisions.add(d.getName()));
        boolean ok = true;
        for (String required : AuthorityDmnNames.DECISIONS) {
            if (!decisions.contains(required)) {
                problems.add(RulesetProblem.error(
                        file,
                        "model '" + model.getName() + "'",
                        "no decision named '" + required + "': the service reads "
                                + String.join(", ", AuthorityDmnNames.DECISIONS)
                                + " from this model (its decisions are " + String.join(", ", decisions) + ")"));
                ok = false;
            }
        }
        for (InputDataNode input : model.getInputs()) {
            if (!AuthorityDmnNames.INPUTS.contains(input.getName())) {
                problems.add(RulesetProblem.error(
                        file,
                        "input data '" + input.getName() + "'",
                        "the service provides no input of that name to the delegated authority; it provides "
                                + String.join(", ", AuthorityDmnNames.INPUTS)));
                ok = false;
            }
        }
        if (!ok) {
            return null;
        }
        AuthorityTable table = new AuthorityTable(runtime, model, compiledModels.get(model.getName()), verifier);
        for (AuthorityQuestion sample : AUTHORITY_SAMPLES) {
            AuthorityAnswer answer = table.ask(sample);
            if (answer.isFailed()) {
                problems.add(RulesetProblem.error(
                        file,
                        "model '" + model.getName() + "'",
                        "asked for level " + sample.level() + " about " + describe(sample)
                                + ", the table gave no answer (" + answer.error()
                                + "); every level must get May Approve, Approvers Needed and Due Business Hours"));
                ok = false;
            }
        }
        return ok ? table : null;
    }

    /** At every level: an ordinary case, an engine-error referral (no grade) and a large, risky order. */
    private static final List<AuthorityQuestion> AUTHORITY_SAMPLES = AuthorityTable.LEVELS.stream()
            .flatMap(level -> java.util.stream.Stream.of(
                    new AuthorityQuestion(
                            level, new BigDecimal("10000"), "A", new BigDecimal("50000"), 30, BigDecimal.ZERO),
                    new AuthorityQuestion(level, new BigDecimal("10000"), null, BigDecimal.ZERO, 0, BigDecimal.ONE),
                    new AuthorityQuestion(level, new BigDecimal("2000000"), "E", BigDecimal.ZERO, 90, BigDecimal.ONE)))
            .toList();

    private static String describe(AuthorityQuestion q) {
        return "an order of " + q.orderAmount().toPlainString() + ", grade " + q.riskGrade() + ", limit "
                + q.creditLimit().toPlainString() + ", " + q.termDays() + " days, over-limit share "
                + q.overLimitShare().toPlainString();
    }

    private static final AtomicLong VALIDATOR_RUNS = new AtomicLong();

    /** How many times KIE's DMN validator ran in this process (findings from the cache are not a run). */
    static long validatorRuns() {
        return VALIDATOR_RUNS.get();
    }

    /**
     * KIE's validator over every file: schema, model, decision table analysis (gaps, overlaps, masked rules), the
     * slowest part of a compile. Its findings depend on the files alone (and the build), so they are kept in the
     * cache when there is one and taken from it on the next compile of the same files, when they hold no error.
     */
    private static void validate(
            Map<String, byte[]> dmnFiles,
            Map<String, Map<String, String>> places,
            List<RulesetProblem> problems,
            RuleBaseCache cache) {
        byte[] key = cache == null ? null : cache.keyOfDmn(dmnFiles);
        if (cache != null) {
            Optional<List<RulesetProblem>> kept = cache.loadFindings(key);
            if (kept.isPresent()) {
                problems.addAll(kept.get());
                log.info(
                        "DMN validator's findings taken from the compiled ruleset cache ({})",
                        kept.get().size());
                return;
            }
        }
        List<RulesetProblem> findings = new ArrayList<>();
        long start = System.nanoTime();
        validate(dmnFiles, places, findings);
        log.info(
                "DMN models validated in {} ms ({} findings)",
                (System.nanoTime() - start) / 1_000_000,
                findings.size());
        problems.addAll(findings);
        // only findings that let the models through are kept: the validator turns its own failures (a stack or heap
        // short once) into errors, which kept would refuse these files for good; a refused ruleset is validated again
        if (cache != null && findings.stream().noneMatch(RulesetProblem::isError)) {
            cache.storeFindings(key, findings);
        }
    }

    private static void validate(
            Map<String, byte[]> dmnFiles, Map<String, Map<String, String>> places, List<RulesetProblem> problems) {
        VALIDATOR_RUNS.incrementAndGet();
        // each file is validated alone: an import of another model of the bundle is resolved by the compile below
        Set<String> bundle = new java.util.HashSet<>();
        dmnFiles.values().forEach(bytes -> {
            try {
                bundle.add(DmnPolicyLanguage.namespaceOf(SafeXml.parse(bytes)));
            } catch (IllegalArgumentException e) {
                // reported as not well-formed
            }
        });
        DMNValidator validator = DMNValidatorFactory.newValidator();
        try {
            dmnFiles.forEach((path, bytes) -> {
                List<DMNMessage> messages;
                try {
                    messages = validator.validate(
                            new InputStreamReader(new ByteArrayInputStream(bytes), StandardCharsets.UTF_8),
                            DMNValidator.Validation.VALIDATE_SCHEMA,
                            DMNValidator.Validation.VALIDATE_MODEL,
                            DMNValidator.Validation.ANALYZE_DECISION_TABLE);
                } catch (RuntimeException e) {
                    problems.add(RulesetProblem.error(
                            path,
                            "",
                            "not a valid DMN file: " + ProblemReferences.clean(SpreadsheetTables.rootMessage(e))));
                    return;
                }
                // the validator repeats some messages: keep each once
                Map<String, RulesetProblem> unique = new LinkedHashMap<>();
                for (DMNMessage message : messages) {
                    if (message.getSeverity() == DMNMessage.Severity.INFO
                            || message.getSeverity() == DMNMessage.Severity.TRACE
                            || importedFromBundle(message, bundle)) {
                        continue;
                    }
                    String location = message.getSourceId() == null
                            ? ""
                            : places.get(path).getOrDefault(message.getSourceId(), "element " + message.getSourceId());
                    RulesetProblem problem = message.getSeverity() == DMNMessage.Severity.ERROR
                            ? RulesetProblem.error(path, location, message.getText())
                            : RulesetProblem.warning(path, location, message.getText());
                    unique.putIfAbsent(problem.toString(), problem);
                }
                problems.addAll(unique.values());
            });
        } finally {
            validator.dispose();
        }
    }

    /**
     * The validator's "import not found" and "dependency not found" for a model of this ruleset: it sees one file at a
     * time. The compile resolves them, and reports those it cannot.
     */
    private static boolean importedFromBundle(DMNMessage message, Set<String> bundle) {
        if (message.getMessageType() != org.kie.dmn.api.core.DMNMessageType.IMPORT_NOT_FOUND
                && message.getMessageType() != org.kie.dmn.api.core.DMNMessageType.REQ_NOT_FOUND) {
            return false;
        }
        String text = String.valueOf(message.getText());
        return bundle.stream()
                .anyMatch(namespace -> !namespace.isEmpty() && text.contains(namespace + "#")
                        || text.contains(": " + namespace + " "));
    }

    private static final Pattern STRING_LITERAL = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Pattern NUMBER_LITERAL = Pattern.compile("-?\\d+(\\.\\d+)?");

    /**
     * A decision table cell that holds a plain literal of the wrong type for its output column (a word where the
     * column is a number, a route the route type does not list) compiles, and would fail every decision that reaches
     * its rule at run time. Such cells are found here, each with its decision, rule and column. Cells holding
     * expressions are left to the run-time type check.
     */
    private static void checkOutputEntries(DMNModel model, String file, List<RulesetProblem> problems) {
        Map<String, String> names = elementNames(model);
        for (DecisionNode decision : model.getDecisions()) {
            if (decision.getDecision() == null
                    || !(decision.getDecision().getExpression() instanceof DecisionTable table)
                    || decision.getResultType() == null) {
                continue;
            }
            List<OutputClause> outputs = table.getOutput();
            for (int column = 0; column < outputs.size(); column++) {
                OutputClause output = outputs.get(column);
                DMNType type = outputs.size() == 1
                        ? decision.getResultType()
                        : decision.getResultType().getFields().get(output.getName());
                if (type == null) {
                    continue;
                }
                List<DecisionRule> rules = table.getRule();
                for (int row = 0; row < rules.size(); row++) {
                    List<LiteralExpression> entries = rules.get(row).getOutputEntry();
                    if (column >= entries.size()
                            || entries.get(column) == null
                            || entries.get(column).getText() == null) {
                        continue;
                    }
                    String text = entries.get(column).getText().strip();
                    Object value = literal(text);
                    if (value != null
                            && !type.isAssignableValue(value)
                            && !reportedByTableAnalysis(problems, file, names.get(table.getId()), row + 1)) {
                        problems.add(RulesetProblem.error(
                                file,
                                locate(model, names, rules.get(row).getId())
                                        + (outputs.size() == 1 ? "" : ", output '" + output.getName() + "'"),
                                "the output " + text + " is not a value of type '" + type.getName() + "'"
                                        + (type.getAllowedValues().isEmpty()
                                                ? ""
                                                : " (allowed: " + type.getAllowedValues() + ")")));
                    }
                }
            }
        }
    }

    /** Whether the validator's decision table analysis already named this rule's output as outside its values. */
    private static boolean reportedByTableAnalysis(List<RulesetProblem> problems, String file, String table, int rule) {
        return problems.stream()
                .anyMatch(p -> p.isError()
                        && p.file().equals(file)
                        && p.location().equals(table)
                        && p.message().contains("Rule " + rule + " defines output"));
    }

    /** The value of a plain FEEL string, number or boolean literal; {@code null} for anything else. */
    private static Object literal(String text) {
        Matcher string = STRING_LITERAL.matcher(text);
        if (string.matches()) {
            return string.group(1).replace("\\\"", "\"").replace("\\\\", "\\");
        }
        if (NUMBER_LITERAL.matcher(text).matches()) {
            return new BigDecimal(text);
        }
        if (text.equals("true") || text.equals("false")) {
            return Boolean.valueOf(text);
        }
        return null;
    }

    /** "decision 'Risk Route', rule 3" for a DMN element id, as far as it can be found. */
    static String locate(DMNModel model, Map<String, String> names, String sourceId) {
        if (sourceId == null) {
            return "model '" + model.getName() + "'";
        }
        return names.getOrDefault(sourceId, "element " + sourceId);
    }

    /** Readable names of the model's elements by id: nodes, and the rules of their decision tables. */
    static Map<String, String> elementNames(DMNModel model) {
        Map<String, String> names = new HashMap<>();
        for (DecisionNode decision : model.getDecisions()) {
            String where = "decision '" + decision.getName() + "'";
            names.put(decision.getId(), where);
            if (decision.getDecision() != null) {
                addRules(names, where, decision.getDecision().getExpression());
            }
        }
        for (BusinessKnowledgeModelNode bkm : model.getBusinessKnowledgeModels()) {
            String where = "business knowledge model '" + bkm.getName() + "'";
            names.put(bkm.getId(), where);
            FunctionDefinition logic = bkm.getBusinessKnowledModel() == null
                    ? null
                    : bkm.getBusinessKnowledModel().getEncapsulatedLogic();
            if (logic != null) {
                addRules(names, where, logic.getExpression());
            }
        }
        for (InputDataNode input : model.getInputs()) {
            names.put(input.getId(), "input data '" + input.getName() + "'");
        }
        return names;
    }

    static Map<String, List<String>> ruleIdsByTable(DMNModel model) {
        Map<String, List<String>> ids = new HashMap<>();
        List<Expression> expressions = new ArrayList<>();
        model.getDecisions().stream()
                .filter(d -> d.getDecision() != null)
                .forEach(d -> expressions.add(d.getDecision().getExpression()));
        model.getBusinessKnowledgeModels().stream()
                .filter(b -> b.getBusinessKnowledModel() != null
                        && b.getBusinessKnowledModel().getEncapsulatedLogic() != null)
                .forEach(b -> expressions.add(
                        b.getBusinessKnowledModel().getEncapsulatedLogic().getExpression()));
        for (Expression expression : expressions) {
            if (expression instanceof DecisionTable table && table.getId() != null) {
                ids.put(
                        table.getId(),
                        table.getRule().stream()
                                .map(r -> String.valueOf(r.getId()))
                                .toList());
            }
        }
        return Map.copyOf(ids);
    }

    private static void addRules(Map<String, String> names, String where, Expression expression) {
        if (expression instanceof DecisionTable table) {
            names.put(table.getId(), where + ", decision table");
            List<DecisionRule> rules = table.getRule();
            for (int i = 0; i < rules.size(); i++) {
                names.put(rules.get(i).getId(), where + ", rule " + (i + 1));
            }
        }
    }

    private static int errorCount(List<RulesetProblem> problems) {
        return (int) problems.stream().filter(RulesetProblem::isError).count();
    }
}
