package io.termsgate.engine;

import java.util.List;

/**
 * The rules the engine generates from a spreadsheet decision table, one per data row, as text: what an approver
 * must read to know what a row of a workbook will do, since a cell's value is spliced into a template the analyst
 * does not see.
 */
public interface SpreadsheetRules {

    /**
     * A rule generated from one data row of a RuleTable.
     *
     * @param sheet the sheet's name
     * @param row the 1-based row, as a spreadsheet program shows it
     * @param table the RuleTable's name
     * @param text the rule, as the engine compiles it
     */
    record GeneratedRule(String sheet, int row, String table, String text) {}

    /**
     * What a workbook compiles to.
     *
     * @param preamble everything generated outside the rules (package, imports, globals and whatever else the
     *        RuleSet keywords produce), which applies to every rule
     * @param rules the rules, in the order the engine compiles them
     */
    record Generated(String preamble, List<GeneratedRule> rules) {}

    /**
     * What {@code workbook} compiles to.
     *
     * @throws IllegalArgumentException when the workbook cannot be read as a decision table, with the reason
     */
    Generated generate(String file, byte[] workbook);
}
