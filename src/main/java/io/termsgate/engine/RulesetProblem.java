package io.termsgate.engine;

/**
 * One thing wrong (or worth a look) in a ruleset file: which file, where in it (a line, a sheet and cell, a DMN
 * decision and rule), and what.
 */
public record RulesetProblem(Severity severity, String file, String location, String message) {

    public enum Severity {
        ERROR,
        WARNING,
        /** Worth knowing, nothing to fix: how each DMN node runs (compiled or interpreted), for example. */
        INFO
    }

    public static RulesetProblem error(String file, String location, String message) {
        return new RulesetProblem(Severity.ERROR, file, location, message);
    }

    public static RulesetProblem warning(String file, String location, String message) {
        return new RulesetProblem(Severity.WARNING, file, location, message);
    }

    public static RulesetProblem info(String file, String location, String message) {
        return new RulesetProblem(Severity.INFO, file, location, message);
    }

    public boolean isError() {
        return severity == Severity.ERROR;
    }

    @Override
    public String toString() {
        return severity + " " + file + (location == null || location.isEmpty() ? "" : " at " + location) + ": "
                + message;
    }
}
