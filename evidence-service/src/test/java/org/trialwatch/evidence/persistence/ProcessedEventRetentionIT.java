package org.trialwatch.evidence.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.trialwatch.support.messaging.ProcessedEventRetention;
import org.trialwatch.testbed.KafkaBrokerResource;
import org.trialwatch.testbed.PostgresResource;
import org.trialwatch.testbed.fixtures.ProcessedEventRetentionContract;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/** Processed-event ids are kept for the retention period and then purged, the newer ones untouched. */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@QuarkusTestResource(PostgresResource.class)
class ProcessedEventRetentionIT extends ProcessedEventRetentionContract {

    @Inject
    DataSource dataSource;
    @Inject
    ProcessedEventRetention retention;

    @Override
    protected DataSource dataSource() {
        return dataSource;
    }

    @Override
    protected long purgeOlderThan(Instant cutoff) {
        return retention.purgeOlderThan(cutoff);
    }

    @Override
    protected void insert(Connection connection, String id, Instant at) throws Exception {
        try (PreparedStatement ps = connection.prepareStatement("""
                INSERT INTO processed_event (event_id, event_type, nct_id, sequence, outcome, processed_at)
                VALUES (?, 'org.trialwatch.trial.status-changed.v1', 'NCT05999002', 1, 'APPLIED', ?)""")) {
            ps.setString(1, id);
            ps.setTimestamp(2, Timestamp.from(at));
            ps.executeUpdate();
        }
    }
}
