package org.trialwatch.evidence.persistence;

import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import org.trialwatch.support.persistence.Jdbc;

/** The idempotent consumer's memory: which CloudEvent ids were already consumed, and with what outcome. */
@ApplicationScoped
public class ProcessedEventStore {

    private final DataSource ds;

    public ProcessedEventStore(DataSource ds) {
        this.ds = ds;
    }

    /** An event to record: its CloudEvent id, type, trial and sequence. */
    public record Incoming(String eventId, String type, String nctId, Long sequence) {
    }

    /**
     * Records many events in one statement, each as {@code outcome}; returns the ids recorded now, leaving out those
     * recorded before (redeliveries). An id that occurs twice is recorded once. Part of the caller's transaction.
     */
    public Set<String> recordAll(List<Incoming> events, String outcome, Instant at) {
        Map<String, Incoming> unique = new LinkedHashMap<>();
        events.forEach(e -> unique.putIfAbsent(e.eventId(), e));
        if (unique.isEmpty()) {
            return new HashSet<>();
        }
        List<Incoming> rows = List.copyOf(unique.values());
        return new HashSet<>(Jdbc.query(ds, """
                INSERT INTO processed_event (event_id, event_type, nct_id, sequence, outcome, processed_at)
                SELECT e.id, e.type, e.nct, e.seq, ?, ? FROM unnest(?::text[], ?::text[], ?::text[], ?::bigint[])
                    AS e(id, type, nct, seq)
                ON CONFLICT (event_id) DO NOTHING RETURNING event_id
                """, ps -> {
            ps.setString(1, outcome);
            ps.setTimestamp(2, Jdbc.ts(at));
            ps.setArray(3, Jdbc.textArray(ps, rows.stream().map(Incoming::eventId).toList()));
            ps.setArray(4, Jdbc.textArray(ps, rows.stream().map(Incoming::type).toList()));
            ps.setArray(5, Jdbc.textArray(ps, rows.stream().map(Incoming::nctId).toList()));
            ps.setArray(6, ps.getConnection().createArrayOf("bigint", rows.stream().map(Incoming::sequence).toArray()));
        }, rs -> rs.getString(1)));
    }

    public void setOutcome(String eventId, String outcome) {
        Jdbc.update(ds, "UPDATE processed_event SET outcome = ? WHERE event_id = ?", ps -> {
            ps.setString(1, outcome);
            ps.setString(2, eventId);
        });
    }
}
