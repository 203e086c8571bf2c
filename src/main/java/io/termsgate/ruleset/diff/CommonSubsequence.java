package io.termsgate.ruleset.diff;

/**
 * The longest-common-subsequence table every diff here aligns with (lines of DRL, rules of a decision table, rules a
 * workbook generates): {@code table[i][j]} is the length of the longest common subsequence of the first sequence
 * from {@code i} and the second from {@code j}.
 */
final class CommonSubsequence {

    /** Whether item {@code i} of the first sequence is the same as item {@code j} of the second. */
    @FunctionalInterface
    interface Same {
        boolean at(int i, int j);
    }

    private CommonSubsequence() {}

    static int[][] table(int n, int m, Same same) {
        int[][] lcs = new int[n + 1][m + 1];
        for (int i = n - 1; i >= 0; i--) {
            for (int j = m - 1; j >= 0; j--) {
                lcs[i][j] = same.at(i, j) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        return lcs;
    }
}
