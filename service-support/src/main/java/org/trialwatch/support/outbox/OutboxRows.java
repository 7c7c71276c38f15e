package org.trialwatch.support.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import org.trialwatch.support.persistence.Jdbc;

/**
 * The {@code outbox_event} table, in plain JDBC over the service's (JTA-enlisted) data source, through the shared
 * {@link Jdbc} helper. Every method runs in the caller's transaction. Each service's own Flyway migration gives the
 * table this shape:
 *
 * <pre>
 * id bigserial PK (publishing order) · event_id uuid UNIQUE (ce_id) · aggregate_id text (key, ce_subject)
 * event_type text (ce_type) · payload text (JSON) · occurred_at timestamptz (ce_time) · sent_at timestamptz
 * attempts int · last_error text · parked_at timestamptz · traceparent text (W3C, null when tracing is off)
 * </pre>
 */
@ApplicationScoped
public class OutboxRows {

    /** A row waiting to be published. */
    public record Pending(long id, UUID eventId, String aggregateId, String eventType, Instant occurredAt,
                          String payload, int attempts, String traceparent) {

        OutboxMessage message() {
            return new OutboxMessage(eventId, aggregateId, eventType, occurredAt, payload, traceparent);
        }
    }

    /** A row set aside after {@code attempts} failures, and how many later rows of its key wait behind it. */
    public record Parked(UUID eventId, String aggregateId, String eventType, Instant occurredAt, int attempts,
                         String lastError, Instant parkedAt, long heldBehind) {
    }

    /** What the gauges and the health check show. */
    public record Stats(long unsent, Instant oldestUnsent, long parked) {
    }

    /** Advisory lock key ("TWOUTBOX" in ASCII): the one relay publishing at a time. */
    private static final long RELAY_LOCK = 0x54574f5554424f58L;

    private final DataSource ds;

    public OutboxRows(DataSource ds) {
        this.ds = ds;
    }

    void insert(OutboxMessage m) {
        update("INSERT INTO outbox_event (event_id, aggregate_id, event_type, occurred_at, payload, traceparent) "
                        + "VALUES (?, ?, ?, ?, ?, ?)",
                ps -> {
                    ps.setObject(1, m.eventId());
                    ps.setString(2, m.aggregateId());
                    ps.setString(3, m.eventType());
                    ps.setTimestamp(4, Timestamp.from(m.occurredAt()));
                    ps.setString(5, m.payload());
                    ps.setString(6, m.traceparent());
                });
    }

    /**
     * Inserts the messages with one statement, whatever their number, their ids (publishing order) in list order. One
     * {@code INSERT … SELECT FROM unnest(…)} rather than a JDBC batch: it is one statement whether or not the service's
     * driver rewrites batches ({@code reWriteBatchedInserts}).
     */
    void insertAll(List<OutboxMessage> messages) {
        update("""
                INSERT INTO outbox_event (event_id, aggregate_id, event_type, occurred_at, payload, traceparent)
                SELECT m.event_id, m.aggregate_id, m.event_type, m.occurred_at::timestamptz, m.payload, m.traceparent
                FROM unnest(?::uuid[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[]) WITH ORDINALITY
                    AS m(event_id, aggregate_id, event_type, occurred_at, payload, traceparent, n)
                ORDER BY m.n""",
                ps -> {
                    Connection c = ps.getConnection();
                    ps.setArray(1, c.createArrayOf("uuid", messages.stream().map(OutboxMessage::eventId).toArray()));
                    ps.setArray(2, c.createArrayOf("text", messages.stream().map(OutboxMessage::aggregateId).toArray()));
                    ps.setArray(3, c.createArrayOf("text", messages.stream().map(OutboxMessage::eventType).toArray()));
                    // ISO-8601 instants, cast by the server: no time-zone conversion on the way
                    ps.setArray(4, c.createArrayOf("text",
                            messages.stream().map(m -> m.occurredAt().toString()).toArray()));
                    ps.setArray(5, c.createArrayOf("text", messages.stream().map(OutboxMessage::payload).toArray()));
                    ps.setArray(6, c.createArrayOf("text", messages.stream().map(OutboxMessage::traceparent).toArray()));
                });
    }

    /**
     * Takes the publishing lock for the current transaction, or returns false when another replica's relay holds it.
     * One publisher at a time, not {@code SKIP LOCKED} alone: two relays each taking part of the backlog could publish
     * a key's second event before its first.
     */
    boolean tryLockRelay() {
        return query("SELECT pg_try_advisory_xact_lock(?)", ps -> ps.setLong(1, RELAY_LOCK), rs -> rs.getBoolean(1)).get(0);
    }

    /**
     * The oldest rows ready to publish, in publishing order: unsent, not parked, and not behind a parked row of their
     * key (a key's order is kept; other keys go on). Both lookups use partial indexes.
     */
    List<Pending> ready(int limit) {
        return query("""
                SELECT o.id, o.event_id, o.aggregate_id, o.event_type, o.occurred_at, o.payload, o.attempts, o.traceparent
                FROM outbox_event o
                WHERE o.sent_at IS NULL AND o.parked_at IS NULL
                  AND NOT EXISTS (SELECT 1 FROM outbox_event p
                                  WHERE p.aggregate_id = o.aggregate_id AND p.sent_at IS NULL AND p.parked_at IS NOT NULL)
                ORDER BY o.id
                LIMIT ?""",
                ps -> ps.setInt(1, limit),
                rs -> new Pending(rs.getLong(1), rs.getObject(2, UUID.class), rs.getString(3), rs.getString(4),
                        rs.getTimestamp(5).toInstant(), rs.getString(6), rs.getInt(7), rs.getString(8)));
    }

    void markSent(List<Long> ids, Instant at) {
        if (ids.isEmpty()) {
            return;
        }
        // one statement for the batch rather than one UPDATE per row
        update("UPDATE outbox_event SET sent_at = ? WHERE id = ANY (?)", ps -> {
            ps.setTimestamp(1, Timestamp.from(at));
            ps.setArray(2, ps.getConnection().createArrayOf("bigint", ids.toArray()));
        });
    }

    /** Counts a failed send; parks the row when {@code park}. */
    void recordFailure(long id, String error, boolean park, Instant at) {
        update("UPDATE outbox_event SET attempts = attempts + 1, last_error = ?, parked_at = ? WHERE id = ?", ps -> {
            ps.setString(1, error);
            ps.setTimestamp(2, park ? Timestamp.from(at) : null);
            ps.setLong(3, id);
        });
    }

    Stats stats() {
        return query("""
                SELECT count(*) FILTER (WHERE parked_at IS NULL), min(occurred_at), count(*) FILTER (WHERE parked_at IS NOT NULL)
                FROM outbox_event WHERE sent_at IS NULL""", ps -> { },
                rs -> new Stats(rs.getLong(1), rs.getTimestamp(2) == null ? null : rs.getTimestamp(2).toInstant(),
                        rs.getLong(3))).get(0);
    }

    /** Deletes up to {@code limit} rows sent before {@code cutoff}; returns how many. */
    int purgeSentBefore(Instant cutoff, int limit) {
        return update("""
                DELETE FROM outbox_event WHERE id IN
                  (SELECT id FROM outbox_event WHERE sent_at < ? ORDER BY sent_at LIMIT ?)""", ps -> {
            ps.setTimestamp(1, Timestamp.from(cutoff));
            ps.setInt(2, limit);
        });
    }

    /** A parked row and its place in the outbox (the order the list pages on). */
    public record ParkedRow(long position, Parked parked) {
    }

    /** Up to {@code limit} parked rows after the row at {@code afterPosition}, oldest first. */
    public List<ParkedRow> parked(long afterPosition, int limit) {
        return query("""
                SELECT p.event_id, p.aggregate_id, p.event_type, p.occurred_at, p.attempts, p.last_error, p.parked_at,
                       (SELECT count(*) FROM outbox_event h
                        WHERE h.aggregate_id = p.aggregate_id AND h.sent_at IS NULL AND h.id > p.id),
                       p.id
                FROM outbox_event p
                WHERE p.sent_at IS NULL AND p.parked_at IS NOT NULL AND p.id > ?
                ORDER BY p.id
                LIMIT ?""",
                ps -> {
                    ps.setLong(1, afterPosition);
                    ps.setInt(2, limit);
                },
                rs -> new ParkedRow(rs.getLong(9), new Parked(rs.getObject(1, UUID.class), rs.getString(2),
                        rs.getString(3), rs.getTimestamp(4).toInstant(), rs.getInt(5), rs.getString(6),
                        rs.getTimestamp(7).toInstant(), rs.getLong(8))));
    }

    /** Puts a parked row back in line with a fresh count of attempts; false when no such row is parked. */
    public boolean unpark(UUID eventId) {
        return update("UPDATE outbox_event SET parked_at = NULL, attempts = 0 "
                + "WHERE event_id = ? AND sent_at IS NULL AND parked_at IS NOT NULL", ps -> ps.setObject(1, eventId)) == 1;
    }

    private int update(String sql, Jdbc.Binder binder) {
        return Jdbc.update(ds, sql, binder);
    }

    private <T> List<T> query(String sql, Jdbc.Binder binder, Jdbc.RowMapper<T> mapper) {
        return Jdbc.query(ds, sql, binder, mapper);
    }
}
