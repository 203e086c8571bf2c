package io.termsgate.web;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.dataformat.csv.CsvFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PushbackReader;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A CSV file (RFC 4180, UTF-8, a header row naming the columns), read token by token with Jackson's CSV
 * parser: a row is never longer in memory than its cells, and a file never more than a row. Blank lines are
 * skipped. A header that lacks a required column, repeats one or names an unknown one stops the reading: no row can
 * be read against it.
 */
public final class CsvRows implements RowSource {

    /** No cell of a valid file comes near this; a longer one is not read into memory. */
    public static final int MAX_CELL = 1024;

    private static final CsvFactory CSV = CsvFactory.builder()
            .streamReadConstraints(
                    StreamReadConstraints.builder().maxStringLength(MAX_CELL).build())
            .build();

    private final JsonParser parser;
    private List<String> header;
    private boolean done;
    private boolean stopped;
    private final String fileKind;
    private final List<String> columns;
    private final Collection<String> required;

    /**
     * @param fileKind what the file is, for messages ("a receivables file")
     * @param columns the columns a header may name
     * @param required those it must name
     */
    public CsvRows(InputStream in, String fileKind, List<String> columns, Collection<String> required)
            throws IOException {
        this.fileKind = fileKind;
        this.columns = List.copyOf(columns);
        this.required = List.copyOf(required);
        Reader reader = new PushbackReader(
                new InputStreamReader(
                        in,
                        StandardCharsets.UTF_8
                                .newDecoder()
                                .onMalformedInput(CodingErrorAction.REPORT)
                                .onUnmappableCharacter(CodingErrorAction.REPORT)),
                1);
        int first = reader.read();
        if (first != -1 && first != '\uFEFF') { // a byte order mark is not part of the first column's name
            ((PushbackReader) reader).unread(first);
        }
        this.parser = CSV.createParser(reader);
    }

    private record Cells(long line, List<String> values, int count) {}

    @Override
    public RawRow next() throws IOException {
        if (done) {
            return null;
        }
        try {
            if (header == null) {
                Cells names = cells();
                if (names == null) {
                    done = true;
                    return null;
                }
                header = names.values();
                List<FieldError> problems = headerProblems(names);
                if (!problems.isEmpty()) {
                    done = true;
                    stopped = true;
                    return new RawRow(names.line(), Map.of(), problems);
                }
            }
            Cells row = cells();
            if (row == null) {
                done = true;
                return null;
            }
            if (row.count() != header.size()) {
                return new RawRow(
                        row.line(),
                        Map.of(),
                        List.of(new FieldError(
                                null,
                                "has " + row.count() + " values; the header names " + header.size() + " columns")));
            }
            Map<String, String> values = new LinkedHashMap<>();
            for (int i = 0; i < header.size(); i++) {
                values.put(header.get(i), row.values().get(i));
            }
            return new RawRow(row.line(), values, List.of());
        } catch (CharacterCodingException e) {
            done = true;
            return stop("is not UTF-8 text");
        } catch (JsonProcessingException e) {
            done = true;
            String reason =
                    String.valueOf(e.getOriginalMessage()).lines().findFirst().orElse("");
            return stop(
                    reason.contains("closing quote")
                            ? "holds a quoted value that is never closed"
                            : reason.contains("String value length")
                                    ? "holds a value longer than " + MAX_CELL + " characters"
                                    : "is not CSV: " + (reason.length() > 200 ? reason.substring(0, 200) : reason));
        }
    }

    @Override
    public boolean stopped() {
        return stopped;
    }

    private RawRow stop(String message) {
        stopped = true;
        long line = Math.max(1, parser.currentLocation().getLineNr());
        return new RawRow(line, Map.of(), List.of(new FieldError(null, message)));
    }

    /** The next non-blank row, keeping at most one cell more than the header names. */
    private Cells cells() throws IOException {
        while (true) {
            JsonToken token = parser.nextToken();
            if (token == null) {
                return null;
            }
            if (token != JsonToken.START_ARRAY) {
                continue;
            }
            long line = -1;
            List<String> values = new ArrayList<>();
            int count = 0;
            int keep = header == null ? columns.size() * 2 : header.size() + 1;
            while ((token = parser.nextToken()) != JsonToken.END_ARRAY && token != null) {
                if (line < 0) {
                    line = parser.currentTokenLocation().getLineNr();
                }
                if (count++ < keep) {
                    values.add(parser.getText());
                }
            }
            if (count == 1 && values.get(0).isEmpty()) {
                continue; // a blank line
            }
            return new Cells(line, values, count);
        }
    }

    private List<FieldError> headerProblems(Cells names) {
        List<FieldError> problems = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String name : names.values()) {
            if (!columns.contains(name)) {
                problems.add(new FieldError(
                        printable(name),
                        "is not a column of " + fileKind + "; allowed: " + String.join(", ", columns)));
            } else if (!seen.add(name)) {
                problems.add(new FieldError(name, "is named twice in the header"));
            }
        }
        if (names.count() > names.values().size()) {
            problems.add(new FieldError(null, "the header names more columns than there are"));
        }
        for (String column : required) {
            if (!seen.contains(column)) {
                problems.add(new FieldError(column, "is a required column; the header lacks it"));
            }
        }
        return problems;
    }

    /** Names come from the file: keep them short and printable before echoing them back. */
    public static String printable(String name) {
        String cleaned = name.codePoints()
                .map(cp -> Character.isISOControl(cp) ? '?' : cp)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                .toString();
        return cleaned.length() > 64 ? cleaned.substring(0, 64) + "…" : cleaned;
    }

    @Override
    public void close() throws IOException {
        parser.close();
    }
}
