package org.trialwatch.notification.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.trialwatch.support.tracing.TraceParent;

/**
 * Writes notifications (one per subscription and event, and a team's test deliveries), answers whose a notification
 * is, and purges old ones. Claiming due ones is {@link DeliveryClaims}; their attempts, outcomes and dead letters are
 * {@link DeliveryLogStore}; the endpoints' failing periods are {@link EndpointHealth}.
 */
@ApplicationScoped
public class NotificationStore {

    private final DataSource dataSource;

    public NotificationStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** One event's notifications to write: the subscriptions it matched and what each notification carries. */
    public record ForEvent(String eventId, String eventType, String nctId, String body, String traceparent,
                           List<UUID> subscriptionIds) {
    }

    /**
     * One notification per (subscription, event) for a poll's events in one statement; a redelivered event inserts
     * nothing. The (id, subscription, event) triples travel as arrays and each event's body once. Returns, per event
     * id, how many notifications were new.
     */
    public Map<String, Integer> insertForEvents(List<ForEvent> events, Instant now) {
        Map<String, Integer> created = new HashMap<>();
        int rows = 0;
        for (ForEvent e : events) {
            rows += e.subscriptionIds().size();
        }
        if (rows == 0) {
            return created;
        }
        UUID[] ids = new UUID[rows];
        UUID[] subscriptionIds = new UUID[rows];
        Integer[] eventNos = new Integer[rows];
        String[] eventIds = new String[events.size()];
        String[] types = new String[events.size()];
        String[] nctIds = new String[events.size()];
        String[] bodies = new String[events.size()];
        String[] traceparents = new String[events.size()];
        int row = 0;
        for (int e = 0; e < events.size(); e++) {
            ForEvent event = events.get(e);
            eventIds[e] = event.eventId();
            types[e] = event.eventType();
            nctIds[e] = event.nctId();
            bodies[e] = event.body();
            traceparents[e] = event.traceparent();
            for (UUID subscriptionId : event.subscriptionIds()) {
                ids[row] = UUID.randomUUID();
                subscriptionIds[row] = subscriptionId;
                eventNos[row] = e + 1; // ordinality counts from 1
                row++;
            }
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     insert into notification (id, subscription_id, event_id, event_type, nct_id, body, status,
                                               attempts, next_attempt_at, created_at, traceparent)
                     select k.id, k.subscription_id, e.event_id, e.event_type, e.nct_id, e.body, 'PENDING', 0, ?, ?,
                            e.traceparent
                       from unnest(?::uuid[], ?::uuid[], ?::int[]) as k(id, subscription_id, event_no)
                       join unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[])
                            with ordinality as e(event_id, event_type, nct_id, body, traceparent, event_no)
                         on e.event_no = k.event_no
                     on conflict (subscription_id, event_id) do nothing
                     returning event_id
                     """)) {
            ps.setTimestamp(1, Timestamp.from(now));
            ps.setTimestamp(2, Timestamp.from(now));
            ps.setArray(3, c.createArrayOf("uuid", ids));
            ps.setArray(4, c.createArrayOf("uuid", subscriptionIds));
            ps.setArray(5, c.createArrayOf("int4", eventNos));
            ps.setArray(6, c.createArrayOf("text", eventIds));
            ps.setArray(7, c.createArrayOf("text", types));
            ps.setArray(8, c.createArrayOf("text", nctIds));
            ps.setArray(9, c.createArrayOf("text", bodies));
            ps.setArray(10, c.createArrayOf("text", traceparents));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    created.merge(rs.getString(1), 1, Integer::sum);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot store notifications", e);
        }
        return created;
    }

    /**
     * Refreshes the planner's statistics of the notification table inside the caller's transaction: PostgreSQL's
     * ANALYZE samples the rows this transaction has just written as well, so the statistics match the table the moment
     * it commits. A database user that does not own the table gets a warning from PostgreSQL and nothing changes.
     */
    public void refreshStatistics() {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("analyze notification")) {
            ps.execute();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot analyze the notification table", e);
        }
    }

    @Transactional
    public UUID insertTest(UUID subscriptionId, String body, Instant now) {
        UUID id = UUID.randomUUID();
        insertForEventWithId(id, subscriptionId, "test-" + id, "trialwatch.test", body, now);
        return id;
    }

    private void insertForEventWithId(UUID id, UUID subscriptionId, String eventId, String type, String body, Instant now) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     insert into notification (id, subscription_id, event_id, event_type, body, status, attempts,
                                               next_attempt_at, created_at, traceparent)
                     values (?, ?, ?, ?, ?, 'PENDING', 0, ?, ?, ?)
                     """)) {
            ps.setObject(1, id);
            ps.setObject(2, subscriptionId);
            ps.setString(3, eventId);
            ps.setString(4, type);
            ps.setString(5, body);
            ps.setTimestamp(6, Timestamp.from(now));
            ps.setTimestamp(7, Timestamp.from(now));
            // a test delivery asked for over REST joins that request's trace
            ps.setString(8, TraceParent.current());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot store notification", e);
        }
    }

    /**
     * Deletes, oldest first and at most {@code batch} of each, the notifications delivered before
     * {@code deliveredBefore} and those dead-lettered before {@code deadBefore}, with their attempt logs (cascade).
     * Returns how many notifications went.
     */
    @Transactional
    public int purge(Instant deliveredBefore, Instant deadBefore, int batch) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     delete from notification where id in (
                         (select id from notification where status = 'DELIVERED' and delivered_at < ?
                           order by delivered_at limit ?)
                         union all
                         (select id from notification where status = 'DEAD' and dead_at < ?
                           order by dead_at limit ?))
                     """)) {
            ps.setTimestamp(1, Timestamp.from(deliveredBefore));
            ps.setInt(2, batch);
            ps.setTimestamp(3, Timestamp.from(deadBefore));
            ps.setInt(4, batch);
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot purge old notifications", e);
        }
    }

    /** The subscription a notification belongs to, if the notification exists. */
    public Optional<UUID> subscriptionOf(UUID notificationId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select subscription_id from notification where id = ?")) {
            ps.setObject(1, notificationId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getObject(1, UUID.class)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read notification", e);
        }
    }
}
