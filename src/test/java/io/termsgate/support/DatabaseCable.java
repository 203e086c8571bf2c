package io.termsgate.support;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.UUID;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.springframework.jdbc.datasource.DelegatingDataSource;

/**
 * A fresh in-memory H2 database (the service's settings) behind a cable a test can pull: while {@link #cut()},
 * every new connection is refused, as when the database host is unreachable. Connections are not pooled, so every
 * statement after the cut meets it.
 */
public final class DatabaseCable extends DelegatingDataSource {

    private volatile boolean cut;

    private DatabaseCable(DataSource database) {
        super(database);
    }

    /** A new, empty in-memory database, named {@code prefix} and a random suffix. */
    public static DatabaseCable h2(String prefix) {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:" + prefix + "-" + UUID.randomUUID()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_DELAY=-1");
        return new DatabaseCable(h2);
    }

    public void cut() {
        cut = true;
    }

    public void restore() {
        cut = false;
    }

    @Override
    public Connection getConnection() throws SQLException {
        refuseWhileCut();
        return super.getConnection();
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        refuseWhileCut();
        return super.getConnection(username, password);
    }

    private void refuseWhileCut() throws SQLException {
        if (cut) {
            throw new SQLTransientConnectionException("Connection refused: the database cable is cut");
        }
    }
}
