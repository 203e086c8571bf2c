package io.termsgate.ruleset.diff;

import io.swagger.v3.oas.annotations.media.Schema;
import io.termsgate.engine.RulesetPaths;
import io.termsgate.engine.RulesetSource;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

/**
 * What changed between two ruleset versions, file by file, at the level an author thinks in: lines of DRL and
 * CSV, cells of spreadsheets, rules of DMN decision tables (and the text of DMN literal expressions).
 */
public final class RulesetDiff {

    /** How a file changed. */
    public enum Change {
        ADDED, REMOVED, CHANGED, UNCHANGED
    }

    /**
     * One file: its change, and the details for its kind (only one of lines, cells, decisions is set).
     */
    @Schema(name = "FileDiff")
    public record FileDiff(String path, Change change, String kind, List<LineDiff.Line> lines,
            List<SpreadsheetDiff.CellChange> cells, List<DmnDiff.DecisionChange> decisions, String note) {
    }

    @Schema(name = "RulesetDiff")
    public record Report(String from, String to, List<FileDiff> files) {
    }

    private RulesetDiff() {
    }

    public static Report between(RulesetSource from, RulesetSource to) {
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
                files.add(detail(path, change, kindName, a == null ? new byte[0] : a, b == null ? new byte[0] : b,
                        kind));
                continue;
            }
            files.add(detail(path, Change.CHANGED, kindName, a, b, kind));
        }
        return new Report(from.version(), to.version(), files);
    }

    private static FileDiff detail(String path, Change change, String kindName, byte[] a, byte[] b,
            RulesetPaths.Kind kind) {
        if (change == Change.UNCHANGED) {
            return new FileDiff(path, change, kindName, List.of(), List.of(), List.of(), null);
        }
        try {
            if (kind == RulesetPaths.Kind.SPREADSHEET
                    || (kind == RulesetPaths.Kind.SCENARIOS && path.toLowerCase().endsWith(".xlsx"))) {
                return new FileDiff(path, change, kindName, List.of(), SpreadsheetDiff.cells(a, b), List.of(), null);
            }
            if (kind == RulesetPaths.Kind.DMN) {
                return new FileDiff(path, change, kindName, List.of(), List.of(), DmnDiff.decisions(a, b), null);
            }
            return new FileDiff(path, change, kindName, LineDiff.lines(text(a), text(b)), List.of(), List.of(), null);
        } catch (RuntimeException e) {
            return new FileDiff(path, change, kindName, List.of(), List.of(), List.of(),
                    "the contents could not be compared in detail: " + e.getMessage());
        }
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
