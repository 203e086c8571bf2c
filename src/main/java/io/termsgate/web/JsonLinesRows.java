package io.termsgate.web;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A JSON-lines file: one JSON object per line, UTF-8. Each line is parsed on its own with the service's
 * strict JSON settings (duplicate keys refused, a number too long or too large never expanded), so a broken line is
 * named and the next one is read. Blank lines are skipped; a line longer than {@link #MAX_LINE} bytes is refused
 * without being kept.
 */
public final class JsonLinesRows implements RowSource {

    public static final int MAX_LINE = 16 * 1024;

    private final InputStream in;
    private final JsonBodies json;
    private final byte[] buffer = new byte[64 * 1024];
    private int position;
    private int limit;
    private final byte[] line = new byte[MAX_LINE];
    private long lineNumber;
    private final String members;

    /** @param members what a line's object holds, for the message when a line is no object ("customer and order") */
    public JsonLinesRows(InputStream in, JsonBodies json, String members) {
        this.in = in;
        this.json = json;
        this.members = members;
    }

    @Override
    public RawRow next() throws IOException {
        while (true) {
            int length = 0;
            boolean tooLong = false;
            boolean any = false;
            int b;
            while ((b = read()) != -1 && b != '\n') {
                any = true;
                if (length < MAX_LINE) {
                    line[length++] = (byte) b;
                } else {
                    tooLong = true;
                }
            }
            if (b == -1 && !any) {
                return null;
            }
            lineNumber++;
            if (tooLong) {
                return problem("is longer than " + MAX_LINE + " bytes");
            }
            if (length > 0 && line[length - 1] == '\r') {
                length--;
            }
            if (blank(length)) {
                continue;
            }
            JsonNode node;
            try {
                node = json.parseLine(line, length);
            } catch (ApiProblemException e) {
                return problem(e.problem().getDetail());
            }
            if (!node.isObject()) {
                return problem("must be a JSON object with " + members);
            }
            Map<String, JsonNode> values = new LinkedHashMap<>();
            node.fields().forEachRemaining(field -> values.put(field.getKey(), field.getValue()));
            return new RawRow(lineNumber, values, List.of());
        }
    }

    private RawRow problem(String message) {
        return new RawRow(lineNumber, Map.of(), List.of(new FieldError(null, message)));
    }

    private boolean blank(int length) {
        for (int i = 0; i < length; i++) {
            if (line[i] != ' ' && line[i] != '\t') {
                return false;
            }
        }
        return true;
    }

    private int read() throws IOException {
        if (position == limit) {
            limit = in.read(buffer, 0, buffer.length);
            position = 0;
            if (limit <= 0) {
                limit = 0;
                return -1;
            }
        }
        return buffer[position++] & 0xFF;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
