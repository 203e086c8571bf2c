package io.termsgate.support;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;

/**
 * A real PostgreSQL server for tests: the machine's own on 127.0.0.1:5432 when it is there, otherwise an embedded
 * PostgreSQL started for this JVM. Each call to {@link #newDatabase()} creates a fresh, empty database on it.
 *
 * <p>Never skips: if neither can be had, tests fail, and under CI that is what must happen.
 */
public final class PostgresDatabase {

    /** A database on the server; {@code host} and {@code port} let a test put a proxy in front of it. */
    public record Database(String url, String user, String password, String host, int port, String name) {

        public String urlVia(int proxyPort) {
            return "jdbc:postgresql://127.0.0.1:" + proxyPort + "/" + name;
        }
    }

    private static volatile Server server;

    private record Server(String host, int port, String user, String password, String description) {
        String url(String database) {
            return "jdbc:postgresql://" + host + ":" + port + "/" + database;
        }
    }

    private PostgresDatabase() {}

    public static Database newDatabase() {
        Server s = server();
        String name = "termsgate_test_"
                + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        try (Connection c = DriverManager.getConnection(s.url("postgres"), s.user(), s.password());
                Statement st = c.createStatement()) {
            st.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create a test database on " + s.description(), e);
        }
        return new Database(s.url(name), s.user(), s.password(), s.host(), s.port(), name);
    }

    public static String serverDescription() {
        return server().description();
    }

    private static Server server() {
        if (server == null) {
            synchronized (PostgresDatabase.class) {
                if (server == null) {
                    // -Dtermsgate.test.postgres=embedded tries the embedded server even where a local one runs
                    server = "embedded".equals(System.getProperty("termsgate.test.postgres")) ? null : localServer();
                    if (server == null) {
                        server = embeddedServer();
                    }
                }
            }
        }
        return server;
    }

    private static Server localServer() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", 5432), 500);
        } catch (IOException e) {
            return null;
        }
        Server local = new Server("127.0.0.1", 5432, "postgres", "", "the PostgreSQL server on 127.0.0.1:5432");
        try (Connection c = DriverManager.getConnection(local.url("postgres"), local.user(), local.password())) {
            return local;
        } catch (SQLException e) {
            return null;
        }
    }

    private static Server embeddedServer() {
        try {
            EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    postgres.close();
                } catch (IOException e) {
                    // the JVM is going away anyway
                }
            }));
            return new Server(
                    "localhost",
                    postgres.getPort(),
                    "postgres",
                    "postgres",
                    "an embedded PostgreSQL on port " + postgres.getPort());
        } catch (IOException e) {
            throw new IllegalStateException(
                    "no PostgreSQL server on 127.0.0.1:5432 and the embedded one would not start", e);
        }
    }
}
