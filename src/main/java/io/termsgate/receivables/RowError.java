package io.termsgate.receivables;

/**
 * What is wrong with one row of a receivables file: its line (1 is the first line of the file, a CSV file's header),
 * the column ({@code null} for the whole line) and why. A superset of a request's field error.
 */
record RowError(long line, String field, String message) {}
