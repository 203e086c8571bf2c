package io.termsgate.engine.drools;

import io.termsgate.engine.RulesetProblem;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.drools.compiler.compiler.io.memory.MemoryFileSystem;
import org.drools.compiler.kie.builder.impl.InternalKieModule;
import org.drools.compiler.kie.builder.impl.InternalKieModuleProvider;
import org.drools.compiler.kie.builder.impl.KieBuilderImpl;
import org.drools.drl.ast.descr.PackageDescr;
import org.drools.drl.ast.descr.RuleDescr;
import org.drools.drl.parser.DrlParser;
import org.drools.drl.parser.DroolsError;
import org.drools.drl.parser.DroolsParserException;
import org.drools.drl.parser.ParserError;
import org.drools.model.codegen.ExecutableModelProject;
import org.drools.modelcompiler.CanonicalKieModule;
import org.kie.api.KieBase;
import org.kie.api.KieServices;
import org.kie.api.builder.KieBuilder;
import org.kie.api.builder.KieFileSystem;
import org.kie.api.builder.KieModule;
import org.kie.api.builder.Message;
import org.kie.api.builder.ReleaseId;
import org.kie.api.builder.model.KieModuleModel;
import org.kie.api.runtime.KieContainer;
import org.kie.util.maven.support.ReleaseIdImpl;

/**
 * Compiles the DRL files and spreadsheet decision tables of a ruleset into one KieBase, with the executable model
 * (rules become compiled lambdas: no MVEL interpretation at run time), entirely in memory: nothing is generated at
 * build time. With a {@link RuleBaseCache}, the compiled module is kept on disk and a later compile of the same
 * sources loads it instead of compiling again; everything that checks the sources still runs first.
 */
final class RuleBaseCompiler {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(RuleBaseCompiler.class);
    private static final String RESOURCES = "src/main/resources/";
    private static final AtomicLong BUILDS = new AtomicLong();
    private static final AtomicLong COMPILES = new AtomicLong();
    /**
     * In every release id: a module loaded from the cache keeps the id it was built with, which must not be one this
     * process gives a build of its own.
     */
    private static final String LAUNCH = java.util.HexFormat.of()
            .formatHex(java.nio.ByteBuffer.allocate(8)
                    .putLong(new java.security.SecureRandom().nextLong())
                    .array());
    /** Modules from the cache are added to KieServices' repository by the id they were built with: one at a time. */
    private static final Object CACHE_LOADS = new Object();

    /**
     * A compiled rule base and where each of its rules came from ("package.rule name" → origin).
     *
     * @param fromCache whether its classes were loaded from the cache (no compile)
     */
    record RuleBase(KieBase kieBase, Map<String, RuleOrigin> origins, List<String> characteristics, boolean fromCache) {

        RuleBase(KieBase kieBase, Map<String, RuleOrigin> origins, List<String> characteristics) {
            this(kieBase, origins, characteristics, false);
        }
    }

    private RuleBaseCompiler() {}

    /**
     * @param drlFiles DRL text by ruleset path
     * @param spreadsheets converted spreadsheets
     * @return the rule base, or {@code null} when there were errors (added to {@code problems})
     */
    static RuleBase compile(
            Map<String, String> drlFiles,
            List<SpreadsheetTables.Converted> spreadsheets,
            List<RulesetProblem> problems) {
        return compile(drlFiles, spreadsheets, problems, null);
    }

    /**
     * @param cache where compiled rule bases are kept, or {@code null} to compile
     */
    static RuleBase compile(
            Map<String, String> drlFiles,
            List<SpreadsheetTables.Converted> spreadsheets,
            List<RulesetProblem> problems,
            RuleBaseCache cache) {
        KieServices kie = KieServices.get();
        // a fresh release id per build: KieServices keeps modules by id, and we remove ours once built
        ReleaseId releaseId =
                kie.newReleaseId("io.termsgate.ruleset", "ruleset", "1.0." + BUILDS.incrementAndGet() + "-" + LAUNCH);
        KieFileSystem files = kie.newKieFileSystem().generateAndWritePomXML(releaseId);
        Map<String, RuleOrigin> origins = new HashMap<>();
        Map<String, SpreadsheetTables.Converted> spreadsheetByKiePath = new HashMap<>();
        Map<String, String> fileByKiePath = new HashMap<>();

        drlFiles.forEach((path, drl) -> {
            String kiePath = RESOURCES + path;
            files.write(kiePath, drl.getBytes(StandardCharsets.UTF_8));
            fileByKiePath.put(kiePath, path);
            recordDrlOrigins(path, drl, origins);
        });
        for (SpreadsheetTables.Converted sheet : spreadsheets) {
            String kiePath = RESOURCES + sheet.file() + ".drl";
            files.write(kiePath, sheet.drl().getBytes(StandardCharsets.UTF_8));
            fileByKiePath.put(kiePath, sheet.file());
            spreadsheetByKiePath.put(kiePath, sheet);
            sheet.rules().forEach((name, origin) -> origins.put(sheet.packageName() + "." + name, origin));
        }

        List<RulesetProblem> refused = checkLanguage(drlFiles, spreadsheets);
        if (!refused.isEmpty()) {
            problems.addAll(refused);
            return null;
        }
        List<String> characteristics = spreadsheets.stream()
                .flatMap(s -> s.characteristics().stream())
                .distinct()
                .sorted()
                .toList();

        byte[] sourcesKey = cache == null ? null : cache.keyOf(drlFiles, spreadsheets);
        if (cache != null) {
            long started = System.nanoTime();
            Optional<RuleBaseCache.Entry> entry = cache.load(sourcesKey);
            KieBase cached =
                    entry.map(e -> fromCache(kie, e.kjar(), cache, sourcesKey)).orElse(null);
            if (cached != null) {
                cache.loaded(sourcesKey);
                log.info(
                        "Rule base loaded from the compiled ruleset cache in {} ms",
                        (System.nanoTime() - started) / 1_000_000);
                problems.addAll(entry.get().warnings());
                return new RuleBase(cached, Map.copyOf(origins), characteristics, true);
            }
        }

        long started = System.nanoTime();
        KieBuilder builder = kie.newKieBuilder(files);
        COMPILES.incrementAndGet();
        try {
            builder.buildAll(ExecutableModelProject.class);
        } catch (RuntimeException e) {
            // the compiler's own failure: its message can hold generated code and a stack trace, so the analyst gets
            // a reference and the log keeps the detail
            String reference = ProblemReferences.logged(log, "The rule compiler failed", e);
            problems.add(RulesetProblem.error(
                    drlFiles.isEmpty()
                            ? spreadsheets.get(0).file()
                            : drlFiles.keySet().iterator().next(),
                    "",
                    "the rules could not be compiled (reference " + reference + " in the service log)"));
            kie.getRepository().removeKieModule(releaseId);
            return null;
        }
        boolean errors = false;
        List<RulesetProblem> warnings = new java.util.ArrayList<>();
        for (Message message : builder.getResults().getMessages()) {
            String text = message.getText().strip();
            if (message.getLevel() == Message.Level.INFO || text.startsWith("Java source of")) {
                continue; // the generated Java itself: the error beside it says what is wrong
            }
            String kiePath = message.getPath();
            String token = offendingText(text);
            String file;
            String location;
            if (fileByKiePath.containsKey(kiePath) && message.getLine() > 0) {
                file = fileByKiePath.get(kiePath);
                SpreadsheetTables.Converted sheet = spreadsheetByKiePath.get(kiePath);
                location = sheet != null ? sheet.locate(message.getLine(), token) : "line " + message.getLine();
            } else {
                // reported against generated Java or without a line: find the text in what the author wrote
                String[] found = find(token, drlFiles, spreadsheets);
                file = found != null ? found[0] : fileByKiePath.getOrDefault(kiePath, "rules/");
                location = found != null ? found[1] : "";
                text = text.replaceAll("\\s+", " ");
            }
            text = ProblemReferences.clean(text);
            if (message.getLevel() == Message.Level.ERROR) {
                errors = true;
                problems.add(RulesetProblem.error(file, location, text));
            } else {
                RulesetProblem warning = RulesetProblem.warning(file, location, text);
                warnings.add(warning);
                problems.add(warning);
            }
        }
        if (errors) {
            kie.getRepository().removeKieModule(releaseId);
            return null;
        }
        try {
            KieContainer container = kie.newKieContainer(releaseId);
            KieBase kieBase = container.getKieBase();
            log.info("Rules compiled in {} ms", (System.nanoTime() - started) / 1_000_000);
            if (cache != null) {
                cache.store(
                        sourcesKey,
                        new RuleBaseCache.Entry(
                                List.copyOf(warnings), ((InternalKieModule) builder.getKieModule()).getBytes()));
            }
            return new RuleBase(kieBase, Map.copyOf(origins), characteristics);
        } finally {
            kie.getRepository().removeKieModule(releaseId);
        }
    }

    /**
     * The rule base of a cache entry's kjar, from the executable model's classes it holds; {@code null} (the entry
     * counted as rejected) when it does not load as an executable model: Drools would compile the rules from the
     * kjar's sources instead, and the compile is ours to do, with its checks.
     */
    private static KieBase fromCache(KieServices kie, byte[] kjar, RuleBaseCache cache, byte[] sourcesKey) {
        synchronized (CACHE_LOADS) {
            KieModule module;
            try {
                // what KieRepository.addKieModule(Resource) does, with the default module our builds have (it would
                // look for a kmodule.xml, which they do not write, and need Drools' XML support to read one)
                MemoryFileSystem jar = MemoryFileSystem.readFromJar(kjar);
                KieModuleModel model = kie.newKieModuleModel();
                KieBuilderImpl.setDefaultsforEmptyKieModule(model);
                module = InternalKieModuleProvider.get(
                        ReleaseIdImpl.fromPropertiesString(jar.findPomProperties()), model, jar);
                kie.getRepository().addKieModule(module);
            } catch (RuntimeException e) {
                cache.unusable(sourcesKey, "not a kjar (" + e + ")");
                return null;
            }
            try {
                if (!(module instanceof CanonicalKieModule)) {
                    cache.unusable(sourcesKey, "it holds no executable model");
                    return null;
                }
                return kie.newKieContainer(module.getReleaseId()).getKieBase();
            } catch (RuntimeException e) {
                cache.unusable(sourcesKey, "its rule base did not load (" + e + ")");
                return null;
            } finally {
                kie.getRepository().removeKieModule(module.getReleaseId());
            }
        }
    }

    /** How many times the rule compiler ran in this process (a load from the cache is not one). */
    static long builds() {
        return COMPILES.get();
    }

    /**
     * Syntax, then the policy language, of every DRL file and every spreadsheet's generated DRL: parsing only,
     * before anything is compiled. A rule file is data, not Java.
     */
    static List<RulesetProblem> checkLanguage(
            Map<String, String> drlFiles, List<SpreadsheetTables.Converted> spreadsheets) {
        List<RulesetProblem> problems = new java.util.ArrayList<>();
        // the raw text first: what no parser should be given
        drlFiles.forEach(
                (path, drl) -> problems.addAll(DrlPolicyLanguage.checkRawText(path, drl, DrlPolicyLanguage.lines())));
        for (SpreadsheetTables.Converted sheet : spreadsheets) {
            problems.addAll(DrlPolicyLanguage.checkRawText(sheet.file(), sheet.drl(), sheet::locateAnywhere));
        }
        if (!problems.isEmpty()) {
            return problems;
        }
        // each file on its own: the builder can attach a syntax error to the wrong file
        boolean syntaxErrors = false;
        for (Map.Entry<String, String> drl : drlFiles.entrySet()) {
            syntaxErrors |= syntaxCheck(drl.getKey(), drl.getValue(), null, problems);
        }
        for (SpreadsheetTables.Converted sheet : spreadsheets) {
            syntaxErrors |= syntaxCheck(sheet.file(), sheet.drl(), sheet, problems);
        }
        if (syntaxErrors) {
            return problems;
        }
        drlFiles.forEach((path, drl) -> problems.addAll(DrlPolicyLanguage.check(path, drl, DrlPolicyLanguage.lines())));
        for (SpreadsheetTables.Converted sheet : spreadsheets) {
            problems.addAll(DrlPolicyLanguage.check(sheet.file(), sheet.drl(), sheet::locateAnywhere));
        }
        return problems;
    }

    private static boolean syntaxCheck(
            String file, String drl, SpreadsheetTables.Converted sheet, List<RulesetProblem> problems) {
        DrlParser parser = new DrlParser();
        try {
            parser.parse(false, drl);
        } catch (DroolsParserException | RuntimeException e) {
            problems.add(RulesetProblem.error(
                    file,
                    "",
                    "cannot be parsed (reference "
                            + ProblemReferences.logged(log, "The DRL parser failed on " + file, e)
                            + " in the service log)"));
            return true;
        }
        if (!parser.hasErrors()) {
            return false;
        }
        for (DroolsError error : parser.getErrors()) {
            int line =
                    error instanceof ParserError p ? p.getRow() : error.getLines().length > 0 ? error.getLines()[0] : 0;
            String location = sheet != null
                    ? sheet.locate(line, offendingText(error.getMessage()))
                    : line > 0 ? "line " + line : "";
            problems.add(RulesetProblem.error(file, location, error.getMessage().strip()));
        }
        return true;
    }

    /** The part of an error message that names what the author wrote wrong, to find it in the source. */
    static String offendingText(String message) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("Unable to Analyse Expression ([^:]+):?")
                .matcher(message);
        if (m.find()) {
            return m.group(1).strip();
        }
        m = java.util.regex.Pattern.compile("(\\S+) cannot be resolved").matcher(message);
        if (m.find()) {
            return m.group(1);
        }
        m = java.util.regex.Pattern.compile("input '([^']+)'").matcher(message);
        return m.find() ? m.group(1) : null;
    }

    /** [file, location] of the first place {@code text} appears: a DRL line, or a spreadsheet cell. */
    private static String[] find(
            String text, Map<String, String> drlFiles, List<SpreadsheetTables.Converted> spreadsheets) {
        if (text == null || text.isBlank()) {
            return null;
        }
        for (SpreadsheetTables.Converted sheet : spreadsheets) {
            int line = sheet.lineOf(text);
            if (line > 0) {
                String[] parts = text.split("\\s+");
                return new String[] {sheet.file(), sheet.locate(line, parts[parts.length - 1])};
            }
        }
        for (Map.Entry<String, String> drl : drlFiles.entrySet()) {
            String[] lines = drl.getValue().split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                if (lines[i].contains(text)) {
                    return new String[] {drl.getKey(), "line " + (i + 1)};
                }
            }
        }
        return null;
    }

    private static void recordDrlOrigins(String path, String drl, Map<String, RuleOrigin> origins) {
        try {
            PackageDescr descr = new DrlParser().parse(false, drl);
            if (descr == null) {
                return;
            }
            for (RuleDescr rule : descr.getRules()) {
                origins.put(descr.getNamespace() + "." + rule.getName(), RuleOrigin.drl(path));
            }
        } catch (DroolsParserException | RuntimeException e) {
            // the build reports syntax errors with their lines; origins only serve traces
        }
    }
}
