package io.termsgate.audit;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * The one export of a search of the log, for the API and the console alike: every match, newest first, streamed as
 * the log is read, as CSV in {@link DecisionCsv}'s columns or as JSON. Either ends with a trailer that carries the
 * number of records and the hash of the last one written, so a file cut short is detectable: CSV
 * {@code #end,rows=N,last_hash=H} as its last line, JSON {@code "rows"} and {@code "lastHash"} after its
 * {@code "records"}. No async timeout applies ({@code spring.mvc.async.request-timeout: -1}): an export of any size
 * runs to its end.
 */
@Component
class DecisionExport {

    /** The export's header line: its columns, in order. */
    static final String HEADER = DecisionCsv.HEADER;

    /** The first cell of the CSV trailer line. */
    static final String TRAILER = "#end";

    private final DecisionLog decisionLog;
    private final ObjectMapper json;

    DecisionExport(DecisionLog decisionLog, ObjectMapper json) {
        this.decisionLog = decisionLog;
        this.json = json;
    }

    /** The CSV download: {@code credit-decisions.csv}, UTF-8, ending with its {@code #end} trailer. */
    ResponseEntity<StreamingResponseBody> csv(DecisionLog.DecisionQuery query) {
        StreamingResponseBody body = out -> {
            Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
            writer.write(DecisionCsv.HEADER);
            Trailer trailer = write(query, writer, DecisionCsv::row, "");
            writer.write(csvTrailer(trailer.rows, trailer.lastHash));
            writer.flush();
        };
        return ResponseEntity.ok()
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"credit-decisions.csv\"")
                .contentType(new MediaType("text", "csv", StandardCharsets.UTF_8))
                .body(body);
    }

    /**
     * The JSON download: {@code credit-decisions.json}, one object {@code {"records":[...],"rows":N,"lastHash":H}},
     * a record per line as the auditor API shows it, with its {@code canonical} text (what its hash is taken over).
     */
    ResponseEntity<StreamingResponseBody> json(DecisionLog.DecisionQuery query) {
        StreamingResponseBody body = out -> {
            Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
            writer.write("{\"records\":[");
            Trailer trailer = write(query, writer, this::jsonRecord, ",");
            writer.write("\n],\"rows\":" + trailer.rows + ",\"lastHash\":"
                    + (trailer.lastHash == null ? "null" : "\"" + trailer.lastHash + "\"") + "}\n");
            writer.flush();
        };
        return ResponseEntity.ok()
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"credit-decisions.json\"")
                .contentType(MediaType.APPLICATION_JSON)
                .body(body);
    }

    static String csvTrailer(long rows, String lastHash) {
        return TRAILER + ",rows=" + rows + ",last_hash=" + (lastHash == null ? "" : lastHash) + "\r\n";
    }

    private static final class Trailer {
        long rows;
        String lastHash;
    }

    private Trailer write(
            DecisionLog.DecisionQuery query, Writer writer, Function<LoggedDecision, String> format, String separator)
            throws IOException {
        Trailer trailer = new Trailer();
        try {
            decisionLog.forEach(query, d -> {
                try {
                    writer.write(trailer.rows == 0 ? "" : separator);
                    writer.write(format.apply(d));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                trailer.rows++;
                trailer.lastHash = d.hash();
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return trailer;
    }

    private String jsonRecord(LoggedDecision d) {
        try {
            String view = json.writeValueAsString(AuditController.DecisionRecordView.of(d));
            return "\n" + view.substring(0, view.length() - 1) + ",\"canonical\":"
                    + json.writeValueAsString(LoggedDecision.canonical(d.seq(), d.record())) + "}";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a logged decision could not be written as JSON", e);
        }
    }
}
