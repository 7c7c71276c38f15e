package org.trialwatch.support.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;
import org.trialwatch.testbed.PostgresDatabases;

/** The purge both consumers run, against real PostgreSQL: old ids go, in batches, newer ones stay. */
class ProcessedEventPurgeIT {

    private static PostgresDatabases.Database database;
    private static PGSimpleDataSource dataSource;

    @BeforeAll
    static void table() throws Exception {
        database = PostgresDatabases.create("purge");
        dataSource = new PGSimpleDataSource();
        dataSource.setUrl(database.jdbcUrl());
        dataSource.setUser(database.username());
        dataSource.setPassword(database.password());
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE processed_event (event_id TEXT PRIMARY KEY, processed_at TIMESTAMPTZ NOT NULL)");
            s.execute("CREATE INDEX ON processed_event (processed_at)");
        }
    }

    @AfterAll
    static void dropDatabase() {
        PostgresDatabases.drop(database);
    }

    @Test
    void everyIdBeforeTheCutoffGoesInBatchesAndTheNewerOnesStay() throws Exception {
        Instant now = Instant.now();
        for (int i = 0; i < 7; i++) {
            insert("old-" + i, now.minus(Duration.ofDays(31 + i)));
        }
        insert("recent-1", now.minus(Duration.ofDays(29)));
        insert("recent-2", now);

        // a batch of 3 takes three rounds for 7 rows: the loop must not stop after a full batch
        long purged = new ProcessedEventPurge(dataSource, 3).purgeBefore(now.minus(Duration.ofDays(30)));

        assertThat(purged).isEqualTo(7);
        assertThat(ids()).containsExactlyInAnyOrder("recent-1", "recent-2");
        assertThat(new ProcessedEventPurge(dataSource, 3).purgeBefore(now.minus(Duration.ofDays(30)))).isZero();
    }

    private static void insert(String id, Instant at) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "INSERT INTO processed_event (event_id, processed_at) VALUES (?, ?)")) {
            ps.setString(1, id);
            ps.setTimestamp(2, Timestamp.from(at));
            ps.executeUpdate();
        }
    }

    private static List<String> ids() throws Exception {
        List<String> ids = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT event_id FROM processed_event")) {
            while (rs.next()) {
                ids.add(rs.getString(1));
            }
        }
        return ids;
    }
}
