package io.termsgate.ruleset;

import io.termsgate.engine.RulesetPaths;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Where a file chosen in the browser belongs in the ruleset. Browsers send a file's name without its folder, so
 * {@code risk-scorecard.xlsx} is the base version's file of that name; a new file goes where its kind lives
 * ({@code .drl} in {@code rules/}, {@code .csv} in {@code decision-tables/scenarios/}, models and workbooks in
 * {@code decision-tables/}). A name that already is a ruleset path is taken as it is.
 */
final class UploadedFiles {

    /** The path a file is put at, or why it cannot be put anywhere. */
    record Placement(String path, String problem) {}

    private UploadedFiles() {}

    static Placement place(String filename, Set<String> basePaths) {
        String name = filename.replace('\\', '/');
        if (RulesetPaths.kindOf(name) != null) {
            return new Placement(name, null);
        }
        String file = name.substring(name.lastIndexOf('/') + 1);
        List<String> same = basePaths.stream()
                .filter(p -> p.substring(p.lastIndexOf('/') + 1).equals(file))
                .toList();
        if (same.size() == 1) {
            return new Placement(same.get(0), null);
        }
        if (same.size() > 1) {
            return new Placement(
                    null,
                    "the base version has several files named " + file + " " + same
                            + "; upload them as a zip bundle instead");
        }
        String lower = file.toLowerCase(Locale.ROOT);
        String guess = lower.endsWith(".drl")
                ? RulesetPaths.RULES_DIR + "/" + file
                : lower.endsWith(".csv")
                        ? RulesetPaths.SCENARIOS_DIR + "/" + file
                        : RulesetPaths.DECISION_TABLES_DIR + "/" + file;
        return RulesetPaths.kindOf(guess) != null
                ? new Placement(guess, null)
                : new Placement(
                        null,
                        "not a ruleset file: rules are .drl, decision tables .xlsx, .xls or .dmn, "
                                + "scenarios .csv; a whole ruleset is a .zip bundle");
    }
}
