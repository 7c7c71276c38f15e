package org.trialwatch.testbed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * A throwaway database on the real PostgreSQL server, reached by the service through a {@link TcpProxy} that a test
 * can cut to take the database away from the service (and only from it) and restore. Use it with
 * {@code restrictToAnnotatedClass = true}: test resources otherwise apply to every test of the module. It starts after
 * (and so overrides the datasource of) any {@link PostgresResource} another test class declares for the module.
 */
public class ProxiedPostgresResource implements QuarkusTestResourceLifecycleManager {

    private static volatile TcpProxy proxy;
    private PostgresDatabases.Database database;

    /** The proxy between the running test application and its database. */
    public static TcpProxy proxy() {
        return proxy;
    }

    @Override
    public Map<String, String> start() {
        database = PostgresDatabases.create("tw_test");
        URI uri = URI.create(database.jdbcUrl().substring("jdbc:".length()));
        try {
            proxy = TcpProxy.start(uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String proxied = "jdbc:postgresql://127.0.0.1:" + proxy.port() + uri.getRawPath()
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        return Map.of(
                "quarkus.datasource.jdbc.url", proxied,
                "quarkus.datasource.username", database.username(),
                "quarkus.datasource.password", database.password());
    }

    @Override
    public int order() {
        return Integer.MAX_VALUE;
    }

    @Override
    public void stop() {
        if (proxy != null) {
            proxy.close();
        }
        if (database != null) {
            PostgresDatabases.drop(database);
        }
    }
}
