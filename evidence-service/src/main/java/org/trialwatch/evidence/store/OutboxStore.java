package org.trialwatch.evidence.store;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

/** The transactional outbox of {@code evidence-events}. */
@ApplicationScoped
public class OutboxStore {

    public record Entry(UUID id, long seq, String groupKey, String eventType, Instant occurredAt, String payload) {
    }

    /** Arbitrary, fixed: the advisory lock held by the one relay publishing at a time. */
    private static final long RELAY_LOCK = 0x7472_6961_6c77_0002L;

    private final DataSource ds;

    public OutboxStore(DataSource ds) {
        this.ds = ds;
    }

    public void add(UUID id, String groupKey, String eventType, Instant occurredAt, String payload) {
        Jdbc.update(ds, "INSERT INTO outbox (id, group_key, event_type, occurred_at, payload) VALUES (?, ?, ?, ?, ?::json)", ps -> {
            ps.setObject(1, id);
            ps.setString(2, groupKey);
            ps.setString(3, eventType);
            ps.setTimestamp(4, Jdbc.ts(occurredAt));
            ps.setString(5, payload);
        });
    }

    /**
     * The oldest unsent rows, or none when another instance's relay holds the publishing lock. One publisher at a time
     * (a transaction-scoped advisory lock), not SKIP LOCKED alone: two relays each taking part of the backlog could
     * publish version 3 of a group before version 2.
     */
    public List<Entry> lockUnsent(int limit) {
        boolean mine = Jdbc.query(ds, "SELECT pg_try_advisory_xact_lock(?)", ps -> ps.setLong(1, RELAY_LOCK),
                rs -> rs.getBoolean(1)).get(0);
        if (!mine) {
            return List.of();
        }
        return Jdbc.query(ds, "SELECT id, seq, group_key, event_type, occurred_at, payload::text FROM outbox "
                        + "WHERE sent_at IS NULL ORDER BY seq LIMIT ? FOR UPDATE SKIP LOCKED",
                ps -> ps.setInt(1, limit),
                rs -> new Entry(rs.getObject(1, UUID.class), rs.getLong(2), rs.getString(3), rs.getString(4),
                        Jdbc.instant(rs.getTimestamp(5)), rs.getString(6)));
    }

    public void markSent(List<UUID> ids, Instant at) {
        Jdbc.update(ds, "UPDATE outbox SET sent_at = ? WHERE id = ANY (?)", ps -> {
            ps.setTimestamp(1, Jdbc.ts(at));
            ps.setArray(2, ps.getConnection().createArrayOf("uuid", ids.toArray()));
        });
    }

    public long backlog() {
        return Jdbc.query(ds, "SELECT count(*) FROM outbox WHERE sent_at IS NULL", ps -> { }, rs -> rs.getLong(1)).get(0);
    }
}
