package org.trialwatch.support.messaging;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;

import javax.sql.DataSource;

/**
 * Deletes the idempotent consumer's memory of events processed before a cutoff, from a {@code processed_event} table
 * with {@code event_id} and an indexed {@code processed_at}. Deletes in batches, each committed on its own, so that a
 * large first purge neither holds locks for long nor builds one huge transaction. A redelivery older than the
 * retention is then no longer recognised by id; the services' other guards (sequence numbers, unique keys) still hold.
 */
public final class ProcessedEventPurge {

    private static final String DELETE_BATCH = """
            DELETE FROM processed_event WHERE event_id IN (
                SELECT event_id FROM processed_event WHERE processed_at < ? ORDER BY processed_at LIMIT ?)
            """;

    private final DataSource dataSource;
    private final int batchSize;

    public ProcessedEventPurge(DataSource dataSource, int batchSize) {
        this.dataSource = dataSource;
        this.batchSize = batchSize;
    }

    /** Deletes every row processed before {@code cutoff}; returns how many. Must run outside a transaction. */
    public long purgeBefore(Instant cutoff) throws SQLException {
        long total = 0;
        while (true) {
            int deleted;
            try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(DELETE_BATCH)) {
                ps.setTimestamp(1, Timestamp.from(cutoff));
                ps.setInt(2, batchSize);
                deleted = ps.executeUpdate();
            }
            total += deleted;
            if (deleted < batchSize) {
                return total;
            }
        }
    }
}
