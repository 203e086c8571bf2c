package io.termsgate.ruleset.diff;

import java.util.ArrayList;
import java.util.List;

/**
 * Line-level difference of two texts (longest common subsequence after trimming the common start and end): the
 * removed and added lines, each with its line number in the old or the new text.
 */
final class LineDiff {

    /** One changed line: removed from the old text at {@code oldLine}, or added to the new one at {@code newLine}. */
    record Line(String op, Integer oldLine, Integer newLine, String text) {}

    /** Beyond this many cells the middle is reported as replaced wholesale rather than aligned. */
    private static final long MAX_CELLS = 4_000_000;

    private LineDiff() {}

    static List<Line> lines(String before, String after) {
        String[] a = before.isEmpty() ? new String[0] : before.split("\r?\n", -1);
        String[] b = after.isEmpty() ? new String[0] : after.split("\r?\n", -1);
        int start = 0;
        while (start < a.length && start < b.length && a[start].equals(b[start])) {
            start++;
        }
        int endA = a.length;
        int endB = b.length;
        while (endA > start && endB > start && a[endA - 1].equals(b[endB - 1])) {
            endA--;
            endB--;
        }
        List<Line> changes = new ArrayList<>();
        int n = endA - start;
        int m = endB - start;
        if ((long) n * m > MAX_CELLS) {
            for (int i = start; i < endA; i++) {
                changes.add(new Line("-", i + 1, null, a[i]));
            }
            for (int j = start; j < endB; j++) {
                changes.add(new Line("+", null, j + 1, b[j]));
            }
            return changes;
        }
        int from = start;
        int[][] lcs = CommonSubsequence.table(n, m, (x, y) -> a[from + x].equals(b[from + y]));
        int i = 0;
        int j = 0;
        while (i < n || j < m) {
            if (i < n && j < m && a[start + i].equals(b[start + j])) {
                i++;
                j++;
            } else if (j < m && (i == n || lcs[i][j + 1] > lcs[i + 1][j])) {
                // on a tie the old line goes first, so a changed line reads as removed, then added
                changes.add(new Line("+", null, start + j + 1, b[start + j]));
                j++;
            } else {
                changes.add(new Line("-", start + i + 1, null, a[start + i]));
                i++;
            }
        }
        return changes;
    }
}
