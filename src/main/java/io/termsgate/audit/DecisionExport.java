package io.termsgate.audit;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * The one CSV export of a search of the log, for the API and the console alike: every match, newest first, streamed
 * as the log is read, in {@link DecisionCsv}'s columns.
 */
@Component
class DecisionExport {

    /** The export's header line: its columns, in order. */
    static final String HEADER = DecisionCsv.HEADER;

    private final DecisionLog decisionLog;

    DecisionExport(DecisionLog decisionLog) {
        this.decisionLog = decisionLog;
    }

    /** The download: {@code credit-decisions.csv}, UTF-8. */
    ResponseEntity<StreamingResponseBody> csv(DecisionLog.DecisionQuery query) {
        StreamingResponseBody body = out -> {
            BufferedWriter writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
            writer.write(DecisionCsv.HEADER);
            try {
                decisionLog.forEach(query, d -> {
                    try {
                        writer.write(DecisionCsv.row(d));
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            } catch (UncheckedIOException e) {
                throw e.getCause();
            }
            writer.flush();
        };
        return ResponseEntity.ok()
                .header(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"credit-decisions.csv\"")
                .contentType(new MediaType("text", "csv", StandardCharsets.UTF_8))
                .body(body);
    }
}
