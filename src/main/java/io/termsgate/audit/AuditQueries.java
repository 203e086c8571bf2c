package io.termsgate.audit;

import java.time.Instant;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Service;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * What an auditor asks of the log beyond single decisions, for the console: does the hash chain hold over a window,
 * and every decision of a search as CSV. The answers are the ones the auditor API gives.
 */
@Service
public class AuditQueries {

    private final ChainVerifier verifier;
    private final DecisionExport export;

    AuditQueries(ChainVerifier verifier, DecisionExport export) {
        this.verifier = verifier;
        this.export = export;
    }

    /** Verifies the records decided in [from, to); null bounds are open. */
    public ChainReport verify(Instant from, Instant to) {
        return verifier.verify(from, to);
    }

    /** The download of a search, {@code credit-decisions.csv}, in the API export's columns. */
    public ResponseEntity<StreamingResponseBody> csv(DecisionLog.DecisionQuery query) {
        return export.csv(query);
    }
}
