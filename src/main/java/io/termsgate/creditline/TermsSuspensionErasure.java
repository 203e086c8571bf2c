package io.termsgate.creditline;

import io.termsgate.privacy.ErasureReach;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** What an erasure reaches of suspended terms: the customer id gives way to their subject reference. */
@Component
class TermsSuspensionErasure implements ErasureReach {

    private final JdbcClient jdbc;

    TermsSuspensionErasure(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Reached erase(String customerId, String subjectRef) {
        int rows = jdbc.sql("UPDATE terms_suspension SET customer_id = ? WHERE customer_id = ?")
                .params(subjectRef, customerId)
                .update();
        return new Reached("suspended terms", rows, "the customer id replaced by the subject reference");
    }
}
