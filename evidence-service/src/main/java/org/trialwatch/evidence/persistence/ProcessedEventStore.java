package org.trialwatch.evidence.persistence;

import java.time.Instant;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

/** The idempotent consumer's memory: which CloudEvent ids were already consumed, and with what outcome. */
@ApplicationScoped
public class ProcessedEventStore {

    private final DataSource ds;

    public ProcessedEventStore(DataSource ds) {
        this.ds = ds;
    }

    /** Records the event; false when it was recorded before (a redelivery). Part of the caller's transaction. */
    public boolean record(String eventId, String type, String nctId, Long sequence, String outcome, Instant at) {
        return Jdbc.update(ds, """
                INSERT INTO processed_event (event_id, event_type, nct_id, sequence, outcome, processed_at)
                VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (event_id) DO NOTHING
                """, ps -> {
            ps.setString(1, eventId);
            ps.setString(2, type);
            ps.setString(3, nctId);
            ps.setObject(4, sequence);
            ps.setString(5, outcome);
            ps.setTimestamp(6, Jdbc.ts(at));
        }) == 1;
    }

    public void setOutcome(String eventId, String outcome) {
        Jdbc.update(ds, "UPDATE processed_event SET outcome = ? WHERE event_id = ?", ps -> {
            ps.setString(1, outcome);
            ps.setString(2, eventId);
        });
    }
}
