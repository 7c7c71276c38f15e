package org.trialwatch.registry.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.trialwatch.events.ChangeOrigin;
import org.trialwatch.events.TrialStatus;
import org.trialwatch.support.persistence.Jdbc;

/**
 * A status change's writes in plain SQL, on the datasource's connection of the current JTA transaction (the outbox
 * row joins the same transaction). Hibernate loaded the whole row (six JSON columns), tracked it and flushed it; a
 * change needs none of that: one version-checked UPDATE that returns what the rules need, one INSERT into the
 * history (docs/performance.md, "Registry write path (session 4)").
 */
@ApplicationScoped
public class StatusChangeRows {

    /** The trial as the change left it, and the status it had before. */
    public record Moved(TrialStatus previousStatus, long eventSequence, long version) {
    }

    // The CTE locks the row at the expected version; a writer that committed first has moved the version on, so the
    // re-check after the lock finds nothing and the change is a 412, never a lost update (ADR 0004).
    private static final String MOVE = """
            WITH current AS (
                SELECT nct_id, overall_status FROM trial WHERE nct_id = ? AND version = ? FOR NO KEY UPDATE
            )
            UPDATE trial t SET overall_status = ?, why_stopped = CASE WHEN ? THEN ? ELSE t.why_stopped END,
                   updated_at = ?, event_sequence = t.event_sequence + 1, version = t.version + 1
              FROM current WHERE t.nct_id = current.nct_id
            RETURNING current.overall_status, t.event_sequence, t.version
            """;

    private static final String APPEND = """
            INSERT INTO status_change (nct_id, previous_status, new_status, effective_date, reason, origin, correction,
                                       recorded_by, recorded_at, event_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id
            """;

    private final DataSource ds;
    private final TrialWrites writes;

    public StatusChangeRows(DataSource ds, TrialWrites writes) {
        this.ds = ds;
        this.writes = writes;
    }

    /**
     * Moves the trial to {@code next} if it is at {@code expectedVersion}; its {@code whyStopped} becomes
     * {@code reason} when {@code setsWhyStopped}. Empty when the trial is unknown or at another version
     * ({@link #currentVersion} tells which).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public java.util.Optional<Moved> move(String nctId, long expectedVersion, TrialStatus next, boolean setsWhyStopped,
                                          String reason, Instant at) {
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(MOVE)) {
            ps.setString(1, nctId);
            ps.setLong(2, expectedVersion);
            ps.setString(3, next.name());
            ps.setBoolean(4, setsWhyStopped);
            ps.setString(5, reason);
            ps.setObject(6, OffsetDateTime.ofInstant(at, ZoneOffset.UTC));
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return java.util.Optional.empty();
                }
                writes.changed(); // written with SQL, past Trial's entity callbacks
                String previous = rs.getString(1);
                return java.util.Optional.of(new Moved(previous == null ? null : TrialStatus.valueOf(previous),
                        rs.getLong(2), rs.getLong(3)));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("status change of " + nctId + " failed", e);
        }
    }

    /** The trial's version, or null when no such trial is tracked. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Long currentVersion(String nctId) {
        try (Connection c = ds.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT version FROM trial WHERE nct_id = ?")) {
            ps.setString(1, nctId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("reading the version of " + nctId + " failed", e);
        }
    }

    /** Appends the change to the trial's history; the returned row carries its id. */
    @Transactional(Transactional.TxType.MANDATORY)
    public StatusChange append(String nctId, TrialStatus previous, TrialStatus next, LocalDate effectiveDate,
                               String reason, ChangeOrigin origin, boolean correction, String recordedBy, Instant at,
                               UUID eventId) {
        StatusChange row = new StatusChange();
        row.nctId = nctId;
        row.previousStatus = previous;
        row.newStatus = next;
        row.effectiveDate = effectiveDate;
        row.reason = reason;
        row.origin = origin;
        row.correction = correction;
        row.recordedBy = recordedBy;
        row.recordedAt = at;
        row.eventId = eventId;
        try (Connection c = ds.getConnection(); PreparedStatement ps = c.prepareStatement(APPEND)) {
            ps.setString(1, nctId);
            ps.setString(2, previous == null ? null : previous.name());
            ps.setString(3, next.name());
            ps.setObject(4, effectiveDate, Types.DATE);
            ps.setString(5, reason);
            ps.setString(6, origin.name());
            ps.setBoolean(7, correction);
            ps.setString(8, recordedBy);
            ps.setObject(9, OffsetDateTime.ofInstant(at, ZoneOffset.UTC));
            ps.setObject(10, eventId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                row.id = rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("appending the history of " + nctId + " failed", e);
        }
        return row;
    }

    /** Up to {@code limit} history rows of the trial with ids above {@code afterId}, oldest first. */
    public List<StatusChange> page(String nctId, long afterId, int limit) {
        return Jdbc.query(ds, """
                SELECT id, nct_id, previous_status, new_status, effective_date, reason, origin, correction, recorded_by,
                       recorded_at, event_id
                  FROM status_change WHERE nct_id = ? AND id > ? ORDER BY id LIMIT ?
                """, ps -> {
            ps.setString(1, nctId);
            ps.setLong(2, afterId);
            ps.setInt(3, limit);
        }, rs -> {
            StatusChange row = new StatusChange();
            row.id = rs.getLong("id");
            row.nctId = rs.getString("nct_id");
            String previous = rs.getString("previous_status");
            row.previousStatus = previous == null ? null : TrialStatus.valueOf(previous);
            row.newStatus = TrialStatus.valueOf(rs.getString("new_status"));
            row.effectiveDate = rs.getObject("effective_date", LocalDate.class);
            row.reason = rs.getString("reason");
            row.origin = ChangeOrigin.valueOf(rs.getString("origin"));
            row.correction = rs.getBoolean("correction");
            row.recordedBy = rs.getString("recorded_by");
            row.recordedAt = TrialRows.instant(rs, "recorded_at");
            row.eventId = rs.getObject("event_id", UUID.class);
            return row;
        });
    }
}
