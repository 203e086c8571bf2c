package io.termsgate.engine.drools;

import io.termsgate.engine.RulesetProblem;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.drools.drl.ast.descr.PackageDescr;
import org.drools.drl.ast.descr.RuleDescr;
import org.drools.drl.parser.DrlParser;
import org.drools.drl.parser.DroolsError;
import org.drools.drl.parser.DroolsParserException;
import org.drools.drl.parser.ParserError;
import org.drools.model.codegen.ExecutableModelProject;
import org.kie.api.KieBase;
import org.kie.api.KieServices;
import org.kie.api.builder.KieBuilder;
import org.kie.api.builder.KieFileSystem;
import org.kie.api.builder.Message;
import org.kie.api.builder.ReleaseId;
import org.kie.api.runtime.KieContainer;

/**
 * Compiles the DRL files and spreadsheet decision tables of a ruleset into one KieBase, with the executable model
 * (rules become compiled lambdas: no MVEL interpretation at run time), entirely in memory: nothing is generated at
 * build time and nothing is written to disk.
 */
final class RuleBaseCompiler {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(RuleBaseCompiler.class);
    private static final String RESOURCES = "src/main/resources/";
    private static final AtomicLong BUILDS = new AtomicLong();

    /** A compiled rule base and where each of its rules came from ("package.rule name" → origin). */
    record RuleBase(KieBase kieBase, Map<String, RuleOrigin> origins, List<String> characteristics) {}

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
        KieServices kie = KieServices.get();
        // a fresh release id per build: KieServices keeps modules by id, and we remove ours once built
        ReleaseId releaseId = kie.newReleaseId("io.termsgate.ruleset", "ruleset", "1.0." + BUILDS.incrementAndGet());
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

        KieBuilder builder = kie.newKieBuilder(files);
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
                problems.add(RulesetProblem.warning(file, location, text));
            }
        }
        if (errors) {
            kie.getRepository().removeKieModule(releaseId);
            return null;
        }
        KieContainer container = kie.newKieContainer(releaseId);
        KieBase kieBase = container.getKieBase();
        kie.getRepository().removeKieModule(releaseId);
        List<String> characteristics = spreadsheets.stream()
                .flatMap(s -> s.characteristics().stream())
                .distinct()
                .sorted()
                .toList();
        return new RuleBase(kieBase, Map.copyOf(origins), characteristics);
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
