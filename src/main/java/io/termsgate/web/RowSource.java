package io.termsgate.web;

import java.io.Closeable;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * An uploaded file (a receivables file, a batch of decision requests) read row by row from its stream, never held
 * whole. A row's values are text cells (CSV) or JSON values (JSON lines), by column name; what is wrong with the file
 * itself (its header, a line that is no JSON) comes as problems of the row where it was found ({@code field} is the
 * column, or {@code null} for the whole line).
 */
public interface RowSource extends Closeable {

    /** One row as read: its line in the file, its values by column, and what stopped it from being read. */
    record RawRow(long line, Map<String, ?> values, List<FieldError> problems) {}

    /** The next row, or {@code null} at the end of the file (or after a problem that stops reading). */
    RawRow next() throws IOException;

    /**
     * Whether reading stopped before the end of the file (a bad CSV header, text that is not UTF-8, a quote never
     * closed): the last row's problem is why, and the rest of the file was not read.
     */
    default boolean stopped() {
        return false;
    }
}
