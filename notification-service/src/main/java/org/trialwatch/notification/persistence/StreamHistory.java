package org.trialwatch.notification.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import jakarta.enterprise.context.ApplicationScoped;

import org.trialwatch.events.EventJson;
import org.trialwatch.notification.domain.matching.EventFacts;
import org.trialwatch.notification.domain.stream.StreamEntry;

/**
 * The bounded recent history behind the live stream. Ids come from a sequence taken under a transaction-scoped
 * advisory lock, so entries commit in id order: a reader that has seen id N has seen every id below N.
 */
@ApplicationScoped
public class StreamHistory {

    private static final long APPEND_LOCK = 0x7472_6961_6c73L;
    private static final ObjectMapper JSON = EventJson.mapper();

    private final DataSource dataSource;

    public StreamHistory(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Appends within the caller's transaction. The advisory lock is taken by the same statement that inserts (one
     * round trip), right before the commit, so appends are serialised only for as long as their commit takes.
     */
    public void append(String eventId, String type, EventFacts facts, String body, Instant now) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("insert into stream_event (id, event_id, facts, body, created_at) "
                     + "select nextval('stream_event_seq'), ?, ?::jsonb, ?, ? from (select pg_advisory_xact_lock("
                     + APPEND_LOCK + ")) as serialised on conflict (event_id) do nothing")) {
            ps.setString(1, eventId);
            ps.setString(2, JSON.writeValueAsString(new StoredFacts(type, facts)));
            ps.setString(3, body);
            ps.setTimestamp(4, Timestamp.from(now));
            ps.executeUpdate();
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("cannot append to the stream history", e);
        }
    }

    /** One event to append: its id, payload type, facts and body. */
    public record Appended(String eventId, String type, EventFacts facts, String body) {
    }

    /**
     * {@link #append} for a poll's events in one statement: one advisory lock, ids in the events' order (ordinality
     * keeps unnest's order; nextval is evaluated after the sort).
     */
    public void appendAll(List<Appended> events, Instant now) {
        if (events.isEmpty()) {
            return;
        }
        String[] eventIds = new String[events.size()];
        String[] facts = new String[events.size()];
        String[] bodies = new String[events.size()];
        try {
            for (int i = 0; i < events.size(); i++) {
                Appended e = events.get(i);
                eventIds[i] = e.eventId();
                facts[i] = JSON.writeValueAsString(new StoredFacts(e.type(), e.facts()));
                bodies[i] = e.body();
            }
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot append to the stream history", e);
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("insert into stream_event (id, event_id, facts, body, created_at) "
                     + "select nextval('stream_event_seq'), k.event_id, k.facts::jsonb, k.body, ? "
                     + "from (select pg_advisory_xact_lock(" + APPEND_LOCK + ")) as serialised, "
                     + "unnest(?::text[], ?::text[], ?::text[]) with ordinality as k(event_id, facts, body, nth) "
                     + "order by k.nth on conflict (event_id) do nothing")) {
            ps.setTimestamp(1, Timestamp.from(now));
            ps.setArray(2, c.createArrayOf("text", eventIds));
            ps.setArray(3, c.createArrayOf("text", facts));
            ps.setArray(4, c.createArrayOf("text", bodies));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot append to the stream history", e);
        }
    }

    public List<StreamEntry> after(long id, int limit) {
        List<StreamEntry> entries = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "select id, facts, body from stream_event where id > ? order by id limit ?")) {
            ps.setLong(1, id);
            ps.setInt(2, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    StoredFacts stored = JSON.readValue(rs.getString(2), StoredFacts.class);
                    entries.add(new StreamEntry(rs.getLong(1), stored.type(), stored.facts(), rs.getString(3)));
                }
            }
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("cannot read the stream history", e);
        }
        return entries;
    }

    /** The highest id pruned so far: what came after a Last-Event-ID below it is partly gone. */
    public long prunedThrough() {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select pruned_through from stream_watermark where id = 1");
             ResultSet rs = ps.executeQuery()) {
            return rs.next() ? rs.getLong(1) : 0;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the stream history", e);
        }
    }

    public long latestId() {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select coalesce(max(id), 0) from stream_event");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read the stream history", e);
        }
    }

    /**
     * Deletes entries older than {@code cutoff} and, in the same statement, moves the watermark of what was pruned, so
     * that a client resuming from before it is told to reset.
     */
    public int pruneBefore(Instant cutoff) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     with gone as (delete from stream_event where created_at < ? returning id),
                     marked as (update stream_watermark
                                   set pruned_through = greatest(pruned_through, (select max(id) from gone))
                                 where id = 1 and exists (select 1 from gone))
                     select count(*) from gone
                     """)) {
            ps.setTimestamp(1, Timestamp.from(cutoff));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot prune the stream history", e);
        }
    }

    record StoredFacts(String type, EventFacts facts) {
    }
}
