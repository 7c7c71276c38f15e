package org.trialwatch.evidence.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.trialwatch.support.messaging.ProcessedEventRetention;
import org.trialwatch.testbed.KafkaBrokerResource;
import org.trialwatch.testbed.PostgresResource;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Processed-event ids are kept for the retention period and then purged, the newer ones untouched. */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@QuarkusTestResource(PostgresResource.class)
class ProcessedEventRetentionTest {

    @Inject
    DataSource dataSource;
    @Inject
    ProcessedEventRetention retention;

    @Test
    void idsOlderThanTheRetentionArePurgedAndNewerOnesKept() throws Exception {
        Instant now = Instant.now();
        insert("retention-old-1", now.minus(Duration.ofDays(45)));
        insert("retention-old-2", now.minus(Duration.ofDays(31)));
        insert("retention-recent", now.minus(Duration.ofDays(29)));

        long purged = retention.purgeOlderThan(now.minus(Duration.ofDays(30)));

        assertThat(purged).isGreaterThanOrEqualTo(2);
        assertThat(exists("retention-old-1")).isFalse();
        assertThat(exists("retention-old-2")).isFalse();
        assertThat(exists("retention-recent")).isTrue();
    }

    @Test
    void thePurgeFindsOldRowsThroughTheIndexOnProcessedAt() throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT indexdef FROM pg_indexes WHERE tablename = 'processed_event'");
             ResultSet rs = ps.executeQuery()) {
            StringBuilder defs = new StringBuilder();
            while (rs.next()) {
                defs.append(rs.getString(1)).append('\n');
            }
            assertThat(defs.toString()).contains("(processed_at)");
        }
    }

    private void insert(String id, Instant at) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                INSERT INTO processed_event (event_id, event_type, nct_id, sequence, outcome, processed_at)
                VALUES (?, 'org.trialwatch.trial.status-changed.v1', 'NCT05999002', 1, 'APPLIED', ?)""")) {
            ps.setString(1, id);
            ps.setTimestamp(2, Timestamp.from(at));
            ps.executeUpdate();
        }
    }

    private boolean exists(String id) throws Exception {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT 1 FROM processed_event WHERE event_id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }
}
