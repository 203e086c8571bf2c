package io.termsgate.engine;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Which files make up a ruleset, and what each one is. A ruleset has two folders: {@code rules/} for DRL written by
 * rule authors and {@code decision-tables/} for what credit analysts edit (spreadsheet decision tables, DMN models,
 * and their test scenarios under {@code decision-tables/scenarios/}).
 */
public final class RulesetPaths {

    public static final String RULES_DIR = "rules";
    public static final String DECISION_TABLES_DIR = "decision-tables";
    public static final String SCENARIOS_DIR = "decision-tables/scenarios";

    /** The kind of a ruleset file, from its path. */
    public enum Kind {
        DRL,
        SPREADSHEET,
        DMN,
        SCENARIOS
    }

    // relative, forward slashes, no "." or ".." segments, no hidden or editor lock files
    private static final Pattern SAFE_PATH =
            Pattern.compile("[A-Za-z0-9_][A-Za-z0-9 ._()-]*(/[A-Za-z0-9_][A-Za-z0-9 ._()-]*)*");

    private RulesetPaths() {}

    /**
     * The kind of file at {@code path}, or {@code null} when the path is not part of a ruleset (a README, an editor's
     * lock file, a backup): such files are ignored when a ruleset is read from disk.
     */
    public static Kind kindOf(String path) {
        if (!isSafe(path)) {
            return null;
        }
        String lower = path.toLowerCase(Locale.ROOT);
        if (lower.startsWith(RULES_DIR + "/") && lower.endsWith(".drl")) {
            return Kind.DRL;
        }
        if (lower.startsWith(SCENARIOS_DIR + "/")
                && !lower.substring(SCENARIOS_DIR.length() + 1).contains("/")
                && (lower.endsWith(".csv") || lower.endsWith(".xlsx"))) {
            return Kind.SCENARIOS;
        }
        if (lower.startsWith(DECISION_TABLES_DIR + "/") && !lower.startsWith(SCENARIOS_DIR + "/")) {
            if (lower.endsWith(".xlsx") || lower.endsWith(".xls")) {
                return Kind.SPREADSHEET;
            }
            if (lower.endsWith(".dmn")) {
                return Kind.DMN;
            }
        }
        return null;
    }

    public static boolean isSafe(String path) {
        return path != null
                && path.length() <= 255
                && SAFE_PATH.matcher(path).matches()
                && !path.contains("..")
                && !path.endsWith("~");
    }

    static String requireValid(String path) {
        if (kindOf(path) == null) {
            throw new IllegalArgumentException(
                    "not a ruleset file: " + path
                            + " (expected rules/*.drl, decision-tables/*.xlsx|*.xls|*.dmn or decision-tables/scenarios/*.csv|*.xlsx)");
        }
        return path;
    }
}
