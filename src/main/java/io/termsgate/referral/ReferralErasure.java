package io.termsgate.referral;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.termsgate.privacy.ErasureReach;
import io.termsgate.privacy.ErasureRefused;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * What an erasure reaches of referrals: a decided case keeps the subject reference in place of the customer id, and
 * the answers sent to checkout lose it. An open case (or an answer not yet delivered) is the customer's business in
 * progress: the erasure waits for it. The referrals' hash chain names decisions, never customers, and is untouched.
 */
@Component
class ReferralErasure implements ErasureReach {

    private final JdbcClient jdbc;
    private final ObjectMapper json;

    ReferralErasure(JdbcClient jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    @Override
    public Reached erase(String customerId, String subjectRef) {
        long open = jdbc.sql("SELECT COUNT(*) FROM referral_case WHERE customer_id = ? AND status = 'OPEN'")
                .param(customerId)
                .query(Long.class)
                .single();
        if (open > 0) {
            throw new ErasureRefused("Customer " + customerId + " has " + open + " open referral case"
                    + (open == 1 ? "" : "s") + " awaiting a decision: erase after they are decided or expire");
        }
        long pending = jdbc.sql("SELECT COUNT(*) FROM referral_webhook w JOIN referral_case c ON c.id = w.referral_id "
                        + "WHERE c.customer_id = ? AND w.status = 'PENDING'")
                .param(customerId)
                .query(Long.class)
                .single();
        if (pending > 0) {
            throw new ErasureRefused("Customer " + customerId + " has " + pending + " referral answer"
                    + (pending == 1 ? "" : "s") + " not yet delivered to checkout: erase once delivered or failed");
        }
        int cases = jdbc.sql("UPDATE referral_case SET customer_id = ? WHERE customer_id = ?")
                .params(subjectRef, customerId)
                .update();
        List<Delivery> sent = jdbc.sql("SELECT w.id, w.body FROM referral_webhook w "
                        + "JOIN referral_case c ON c.id = w.referral_id WHERE c.customer_id = ?")
                .param(subjectRef)
                .query((rs, n) -> new Delivery(rs.getObject(1, UUID.class), rs.getString(2)))
                .list();
        for (Delivery d : sent) {
            jdbc.sql("UPDATE referral_webhook SET body = ? WHERE id = ?")
                    .params(withoutCustomer(d.body()), d.id())
                    .update();
        }
        return new Reached(
                "referral cases",
                cases,
                "decided cases keep the subject reference in place of the customer id; " + sent.size()
                        + " webhook bodies sent to checkout lose the customer id");
    }

    private record Delivery(UUID id, String body) {}

    private String withoutCustomer(String body) {
        try {
            ObjectNode tree = (ObjectNode) json.readTree(body);
            tree.putNull("customerId");
            return json.writeValueAsString(tree);
        } catch (JsonProcessingException | ClassCastException e) {
            throw new IllegalStateException("a webhook body is not a JSON object", e);
        }
    }
}
