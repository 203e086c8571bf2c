package io.termsgate.engine.drools;

/**
 * Where a compiled rule came from: the ruleset file, and for a spreadsheet row its table and 1-based sheet row.
 * Lets traces and error messages point at what an author edits, never at generated code.
 */
record RuleOrigin(String file, String table, int row) {

    static RuleOrigin drl(String file) {
        return new RuleOrigin(file, null, 0);
    }

    boolean isSpreadsheetRow() {
        return table != null;
    }
}
