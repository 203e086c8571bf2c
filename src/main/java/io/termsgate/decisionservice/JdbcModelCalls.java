package io.termsgate.decisionservice;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The model calls' chain in {@code model_call}, its head in {@code decision_log_head} under 'model-calls'. */
@Repository
class JdbcModelCalls {

    static final String CHAIN = "model-calls";
    private static final String COLUMNS = "seq, id, called_at, client, model_name, model_namespace, decision_service, "
            + "ruleset_version, inputs_json, result_json, previous_hash, hash";

    private final JdbcClient jdbc;

    JdbcModelCalls(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    record Head(long seq, String hash) {}

    /** Appends a call; the chain's head stays locked until the transaction ends. */
    ModelCall append(ModelCall call) {
        Head head = jdbc.sql("SELECT seq, hash FROM decision_log_head WHERE chain = ? FOR UPDATE")
                .param(CHAIN)
                .query((rs, n) -> new Head(rs.getLong(1), rs.getString(2)))
                .single();
        ModelCall chained = call.chained(head.seq() + 1, head.hash());
        jdbc.sql("INSERT INTO model_call (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
                .params(
                        chained.seq(),
                        chained.id(),
                        OffsetDateTime.ofInstant(chained.calledAt(), ZoneOffset.UTC),
                        chained.client(),
                        chained.modelName(),
                        chained.modelNamespace(),
                        chained.decisionService(),
                        chained.rulesetVersion(),
                        chained.inputsJson(),
                        chained.resultJson(),
                        chained.previousHash(),
                        chained.hash())
                .update();
        jdbc.sql("UPDATE decision_log_head SET seq = ?, hash = ? WHERE chain = ?")
                .params(chained.seq(), chained.hash(), CHAIN)
                .update();
        return chained;
    }

    Optional<ModelCall> find(UUID id) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM model_call WHERE id = ?")
                .param(id)
                .query(JdbcModelCalls::call)
                .optional();
    }

    List<ModelCall> chain(long fromSeq, int limit) {
        return jdbc.sql("SELECT " + COLUMNS + " FROM model_call WHERE seq >= ? ORDER BY seq LIMIT ?")
                .params(fromSeq, limit)
                .query(JdbcModelCalls::call)
                .list();
    }

    Head head() {
        return jdbc.sql("SELECT seq, hash FROM decision_log_head WHERE chain = ?")
                .param(CHAIN)
                .query((rs, n) -> new Head(rs.getLong(1), rs.getString(2)))
                .single();
    }

    private static ModelCall call(ResultSet rs, int n) throws SQLException {
        return new ModelCall(
                rs.getLong("seq"),
                rs.getObject("id", UUID.class),
                rs.getObject("called_at", OffsetDateTime.class).toInstant(),
                rs.getString("client"),
                rs.getString("model_name"),
                rs.getString("model_namespace"),
                rs.getString("decision_service"),
                rs.getString("ruleset_version"),
                rs.getString("inputs_json"),
                rs.getString("result_json"),
                rs.getString("previous_hash"),
                rs.getString("hash"));
    }
}
