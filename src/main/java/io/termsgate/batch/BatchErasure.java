package io.termsgate.batch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.termsgate.privacy.ErasureReach;
import io.termsgate.privacy.ErasureRefused;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * What an erasure reaches of batches: the stored request of each of the customer's lines (kept only until the line is
 * decided; its decision is in the log, sealed) is removed. While a batch with the customer is still being decided, the erasure waits.
 */
@Component
class BatchErasure implements ErasureReach {

    private final JdbcClient jdbc;
    private final ObjectMapper json = new ObjectMapper();

    BatchErasure(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    private record Line(UUID batchId, long line, String status, String requestJson) {}

    @Override
    public Reached erase(String customerId, String subjectRef) {
        // customer ids hold no quote, backslash or '%' (FieldRule.REFERENCE); '_' in LIKE matches more than itself,
        // and each candidate is checked exactly below
        List<Line> candidates = jdbc.sql("SELECT l.batch_id, l.line, b.status, l.request_json FROM batch_line l "
                        + "JOIN batch b ON b.id = l.batch_id WHERE l.request_json LIKE ?")
                .param("%\"" + customerId + "\"%")
                .query((rs, n) ->
                        new Line(rs.getObject(1, UUID.class), rs.getLong(2), rs.getString(3), rs.getString(4)))
                .list();
        long reached = 0;
        for (Line line : candidates) {
            if (!customerId.equals(customerOf(line.requestJson()))) {
                continue;
            }
            if (!"DONE".equals(line.status())) {
                throw new ErasureRefused("Customer " + customerId + " is in batch " + line.batchId()
                        + ", still being decided: erase once it is done");
            }
            jdbc.sql("UPDATE batch_line SET request_json = NULL WHERE batch_id = ? AND line = ?")
                    .params(line.batchId(), line.line())
                    .update();
            reached++;
        }
        return new Reached("batch lines", reached, "the stored requests removed (their decisions are in the log)");
    }

    private String customerOf(String requestJson) {
        try {
            return json.readTree(requestJson).path("customer").path("id").asText(null);
        } catch (JsonProcessingException e) {
            return null;
        }
    }
}
