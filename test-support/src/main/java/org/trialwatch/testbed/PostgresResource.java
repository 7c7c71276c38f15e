package org.trialwatch.testbed;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** Gives each Quarkus test application a throwaway database of its own on a real PostgreSQL server. */
public class PostgresResource implements QuarkusTestResourceLifecycleManager {

    private PostgresDatabases.Database database;

    @Override
    public Map<String, String> start() {
        database = PostgresDatabases.create("tw_test");
        return Map.of(
                "quarkus.datasource.jdbc.url", database.jdbcUrl(),
                "quarkus.datasource.username", database.username(),
                "quarkus.datasource.password", database.password());
    }

    @Override
    public void stop() {
        if (database != null) {
            PostgresDatabases.drop(database);
        }
    }
}
