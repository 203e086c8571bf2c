package io.termsgate.audit;

import com.fasterxml.jackson.databind.JsonNode;
import io.termsgate.engine.CreditApplication;

/**
 * The log's written forms, for tests in other packages that check a field survives them (canonical JSON, the CSV
 * export's columns): the classes that write them are audit's own.
 */
public final class AuditFormats {

    /** The CSV export's header line: its columns, in order. */
    public static final String CSV_HEADER = DecisionExport.HEADER;

    private AuditFormats() {}

    public static String request(CreditApplication application) {
        return CanonicalJson.request(application);
    }

    public static CreditApplication readRequest(String json) {
        return CanonicalJson.readRequest(json);
    }

    public static JsonNode tree(String json) {
        return CanonicalJson.tree(json);
    }
}
