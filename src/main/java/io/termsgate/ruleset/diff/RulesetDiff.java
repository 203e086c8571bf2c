package io.termsgate.ruleset.diff;

import io.swagger.v3.oas.annotations.media.Schema;
import io.termsgate.engine.RulesetPaths;
import io.termsgate.engine.RulesetSource;
import io.termsgate.engine.SpreadsheetRules;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

/**
 * What changed between two ruleset versions, file by file, at the level an author thinks in and down to what runs:
 * lines of DRL and CSV; cells of spreadsheets (with their formulas) and the rules the engine generates from them;
 * every element of DMN models, each expression however nested, and the rules of their decision tables. A file that
 * changed without changing what it decides (a shape moved in a DMN diagram) says so.
 */
public final class RulesetDiff {

    /** How a file changed. */
    public enum Change {
        ADDED,
        REMOVED,
        CHANGED,
        UNCHANGED
    }

    /**
     * One file: its change, and the details for its kind (lines; or cells, with rules for a decision table; or
     * decisions). {@code behaviourChanged} says whether what the file decides changed, for spreadsheet decision
     * tables (by the rules generated) and DMN models (by their elements); null where the diff cannot tell.
     */
    @Schema(name = "FileDiff")
    public record FileDiff(
            String path,
            Change change,
            String kind,
            List<LineDiff.Line> lines,
            List<SpreadsheetDiff.CellChange> cells,
            List<DmnDiff.DecisionChange> decisions,
            String note,

            @Schema(
                    description = "spreadsheet decision tables: the rules the engine generates, where they differ or "
                            + "a cell of their row changed")
            List<SpreadsheetDiff.RuleChange> rules,

            @Schema(
                    nullable = true,
                    description =
                            "whether what the file decides changed; null where the diff " + "cannot tell (DRL, CSV)")
            Boolean behaviourChanged) {}

    @Schema(name = "RulesetDiff")
    public record Report(String from, String to, List<FileDiff> files) {}

    private RulesetDiff() {}

    /**
     * @param generator the engine's rules generated from a spreadsheet decision table, shown beside its cells
     */
    public static Report between(RulesetSource from, RulesetSource to, SpreadsheetRules generator) {
        List<FileDiff> files = new ArrayList<>();
        TreeSet<String> paths = new TreeSet<>(from.files().keySet());
        paths.addAll(to.files().keySet());
        for (String path : paths) {
            byte[] a = from.files().get(path);
            byte[] b = to.files().get(path);
            RulesetPaths.Kind kind = RulesetPaths.kindOf(path);
            String kindName = kind == null ? "FILE" : kind.name();
            if (a == null || b == null || Arrays.equals(a, b)) {
                Change change = a == null ? Change.ADDED : b == null ? Change.REMOVED : Change.UNCHANGED;
                files.add(detail(
                        path,
                        change,
                        kindName,
                        a == null ? new byte[0] : a,
                        b == null ? new byte[0] : b,
                        kind,
                        generator));
                continue;
            }
            files.add(detail(path, Change.CHANGED, kindName, a, b, kind, generator));
        }
        return new Report(from.version(), to.version(), files);
    }

    private static FileDiff detail(
            String path,
            Change change,
            String kindName,
            byte[] a,
            byte[] b,
            RulesetPaths.Kind kind,
            SpreadsheetRules generator) {
        if (change == Change.UNCHANGED) {
            return new FileDiff(path, change, kindName, List.of(), List.of(), List.of(), null, List.of(), false);
        }
        try {
            if (kind == RulesetPaths.Kind.SPREADSHEET) {
                SpreadsheetDiff.Comparison table = SpreadsheetDiff.decisionTable(path, a, b, generator);
                return new FileDiff(
                        path,
                        change,
                        kindName,
                        List.of(),
                        table.cells(),
                        List.of(),
                        table.note(),
                        table.rules(),
                        table.behaviourChanged());
            }
            if (kind == RulesetPaths.Kind.SCENARIOS && path.toLowerCase().endsWith(".xlsx")) {
                return new FileDiff(
                        path,
                        change,
                        kindName,
                        List.of(),
                        SpreadsheetDiff.cells(a, b),
                        List.of(),
                        null,
                        List.of(),
                        null);
            }
            if (kind == RulesetPaths.Kind.DMN) {
                DmnDiff.Comparison model = DmnDiff.compare(a, b);
                return new FileDiff(
                        path,
                        change,
                        kindName,
                        List.of(),
                        List.of(),
                        model.decisions(),
                        model.note(),
                        List.of(),
                        model.behaviourChanged());
            }
            return new FileDiff(
                    path,
                    change,
                    kindName,
                    LineDiff.lines(text(a), text(b)),
                    List.of(),
                    List.of(),
                    null,
                    List.of(),
                    null);
        } catch (RuntimeException e) {
            return new FileDiff(
                    path,
                    change,
                    kindName,
                    List.of(),
                    List.of(),
                    List.of(),
                    "the contents could not be compared in detail: " + e.getMessage(),
                    List.of(),
                    null);
        }
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
