package org.trialwatch.notification.delivery;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/**
 * Notifications are due-dated rows: the dispatcher claims due ones with {@code FOR UPDATE SKIP LOCKED} and pushes
 * their due time past a lease, so two replicas never send the same attempt and a replica that dies mid-send leaves
 * the row to be claimed again once the lease runs out.
 */
@ApplicationScoped
public class NotificationStore {

    private final DataSource dataSource;

    public NotificationStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** One notification per (subscription, event); a redelivered event inserts nothing. Returns how many were new. */
    public int insertForEvent(List<UUID> subscriptionIds, String eventId, String eventType, String nctId, String body,
                              Instant now) {
        if (subscriptionIds.isEmpty()) {
            return 0;
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     insert into notification (id, subscription_id, event_id, event_type, nct_id, body, status,
                                               attempts, next_attempt_at, created_at)
                     values (?, ?, ?, ?, ?, ?, 'PENDING', 0, ?, ?)
                     on conflict (subscription_id, event_id) do nothing
                     """)) {
            for (UUID subscriptionId : subscriptionIds) {
                ps.setObject(1, UUID.randomUUID());
                ps.setObject(2, subscriptionId);
                ps.setString(3, eventId);
                ps.setString(4, eventType);
                ps.setString(5, nctId);
                ps.setString(6, body);
                ps.setTimestamp(7, Timestamp.from(now));
                ps.setTimestamp(8, Timestamp.from(now));
                ps.addBatch();
            }
            int inserted = 0;
            for (int n : ps.executeBatch()) {
                inserted += Math.max(n, 0);
            }
            return inserted;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot store notifications", e);
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
                                               next_attempt_at, created_at)
                     values (?, ?, ?, ?, ?, 'PENDING', 0, ?, ?)
                     """)) {
            ps.setObject(1, id);
            ps.setObject(2, subscriptionId);
            ps.setString(3, eventId);
            ps.setString(4, type);
            ps.setString(5, body);
            ps.setTimestamp(6, Timestamp.from(now));
            ps.setTimestamp(7, Timestamp.from(now));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot store notification", e);
        }
    }

    /** Claims up to {@code limit} due notifications of enabled subscriptions, leasing them for {@code lease}. */
    @Transactional
    public List<DueNotification> claimDue(int limit, Duration lease, Instant now) {
        List<DueNotification> claimed = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("""
                     with due as (
                         select n.id from notification n
                           join subscription s on s.id = n.subscription_id
                          where n.status = 'PENDING' and n.next_attempt_at <= ? and s.enabled
                          order by n.next_attempt_at
                          limit ?
                            for update of n skip locked)
                     update notification n set next_attempt_at = ?
                       from due where n.id = due.id
                     returning n.id, n.subscription_id, n.event_id, n.event_type, n.nct_id, n.body, n.attempts
                     """)) {
            ps.setTimestamp(1, Timestamp.from(now));
            ps.setInt(2, limit);
            ps.setTimestamp(3, Timestamp.from(now.plus(lease)));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    claimed.add(new DueNotification(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                            rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6), rs.getInt(7)));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot claim due notifications", e);
        }
        return claimed;
    }

    /** What recording an attempt did to the subscription. */
    public record Recorded(boolean subscriptionDisabled, String disabledReason) {
    }

    /**
     * Logs the attempt and applies the decision, in one transaction. A failure starts (or continues) the endpoint's
     * failing period; when that has lasted {@code disableAfter}, or the endpoint answered 410, the subscription is
     * disabled.
     */
    @Transactional
    public Recorded record(DueNotification n, AttemptResult result, DeliveryDecision decision, Instant now,
                           Duration disableAfter) {
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("""
                    insert into delivery_attempt (notification_id, attempt_no, attempted_at, status_code, latency_ms,
                                                  outcome, error)
                    values (?, coalesce((select max(attempt_no) from delivery_attempt where notification_id = ?), 0) + 1,
                            ?, ?, ?, ?, ?)
                    """)) {
                ps.setObject(1, n.id());
                ps.setObject(2, n.id());
                ps.setTimestamp(3, Timestamp.from(now));
                if (result.statusCode() == null) {
                    ps.setNull(4, Types.INTEGER);
                } else {
                    ps.setInt(4, result.statusCode());
                }
                ps.setLong(5, result.latencyMs());
                ps.setString(6, result.succeeded() ? "SUCCEEDED" : "FAILED");
                ps.setString(7, result.succeeded() ? null : RetryPolicy.describe(result)
                        + (result.error() != null && result.statusCode() != null ? ": " + result.error() : ""));
                ps.executeUpdate();
            }
            String status;
            Instant next = null;
            String error = result.succeeded() ? null : RetryPolicy.describe(result);
            if (decision instanceof DeliveryDecision.Delivered) {
                status = "DELIVERED";
            } else if (decision instanceof DeliveryDecision.RetryLater r) {
                status = "PENDING";
                next = now.plus(r.delay());
            } else if (decision instanceof DeliveryDecision.DeadLetter dead) {
                status = "DEAD";
                error = dead.reason();
            } else {
                status = "DEAD";
                error = ((DeliveryDecision.DisableEndpoint) decision).reason();
            }
            try (PreparedStatement ps = c.prepareStatement("""
                    update notification set attempts = attempts + 1, status = ?, next_attempt_at = ?::timestamptz,
                           last_error = ?, delivered_at = coalesce(?::timestamptz, delivered_at), dead_at = ?::timestamptz
                     where id = ?
                    """)) {
                ps.setString(1, status);
                ps.setTimestamp(2, next == null ? null : Timestamp.from(next));
                ps.setString(3, error);
                ps.setTimestamp(4, "DELIVERED".equals(status) ? Timestamp.from(now) : null);
                ps.setTimestamp(5, "DEAD".equals(status) ? Timestamp.from(now) : null);
                ps.setObject(6, n.id());
                ps.executeUpdate();
            }
            return updateEndpointHealth(c, n.subscriptionId(), result, decision, now, disableAfter);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot record delivery attempt", e);
        }
    }

    private static Recorded updateEndpointHealth(Connection c, UUID subscriptionId, AttemptResult result,
                                                 DeliveryDecision decision, Instant now, Duration disableAfter)
            throws SQLException {
        if (result.succeeded()) {
            try (PreparedStatement ps = c.prepareStatement(
                    "update subscription set failing_since = null where id = ? and failing_since is not null")) {
                ps.setObject(1, subscriptionId);
                ps.executeUpdate();
            }
            return new Recorded(false, null);
        }
        Instant failingSince;
        try (PreparedStatement ps = c.prepareStatement("update subscription set failing_since = coalesce(failing_since, ?) "
                + "where id = ? returning failing_since, enabled")) {
            ps.setTimestamp(1, Timestamp.from(now));
            ps.setObject(2, subscriptionId);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next() || !rs.getBoolean(2)) {
                    return new Recorded(false, null);
                }
                failingSince = rs.getTimestamp(1).toInstant();
            }
        }
        String reason = null;
        if (decision instanceof DeliveryDecision.DisableEndpoint gone) {
            reason = gone.reason();
        } else if (!Duration.between(failingSince, now).minus(disableAfter).isNegative()) {
            reason = "endpoint failing since " + failingSince + " (longer than " + disableAfter + ")";
        }
        if (reason == null) {
            return new Recorded(false, null);
        }
        try (PreparedStatement ps = c.prepareStatement(
                "update subscription set enabled = false, disabled_reason = ?, updated_at = ? where id = ?")) {
            ps.setString(1, reason);
            ps.setTimestamp(2, Timestamp.from(now));
            ps.setObject(3, subscriptionId);
            ps.executeUpdate();
        }
        return new Recorded(true, reason);
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

    /** Makes a dead-lettered or delivered notification due now, with a fresh round of attempts. */
    @Transactional
    public boolean replay(UUID notificationId, Instant now) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("update notification set status = 'PENDING', attempts = 0, "
                     + "next_attempt_at = ?, dead_at = null where id = ? and status in ('DEAD', 'DELIVERED')")) {
            ps.setTimestamp(1, Timestamp.from(now));
            ps.setObject(2, notificationId);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot replay notification", e);
        }
    }

    /** Replays every notification dead-lettered in [from, to). */
    @Transactional
    public int replayDead(Instant from, Instant to, Instant now) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("update notification set status = 'PENDING', attempts = 0, "
                     + "next_attempt_at = ?, dead_at = null where status = 'DEAD' and dead_at >= ? and dead_at < ?")) {
            ps.setTimestamp(1, Timestamp.from(now));
            ps.setTimestamp(2, Timestamp.from(from));
            ps.setTimestamp(3, Timestamp.from(to));
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot replay dead letters", e);
        }
    }

    public List<DeliveryLog> deliveries(UUID subscriptionId, int limit) {
        return logs("n.subscription_id = ?", subscriptionId, null, limit);
    }

    public List<DeliveryLog> deadLetters(Instant from, Instant to, int limit) {
        return logs("n.status = 'DEAD' and n.dead_at >= ? and n.dead_at < ?", from, to, limit);
    }

    public Optional<DeliveryLog> log(UUID notificationId) {
        return logs("n.id = ?", notificationId, null, 1).stream().findFirst();
    }

    private List<DeliveryLog> logs(String where, Object p1, Object p2, int limit) {
        Map<UUID, DeliveryLog> logs = new LinkedHashMap<>();
        Map<UUID, List<DeliveryLog.Attempt>> attempts = new LinkedHashMap<>();
        String sql = """
                select n.id, n.subscription_id, n.event_id, n.event_type, n.nct_id, n.status, n.attempts,
                       n.next_attempt_at, n.last_error, n.created_at, n.delivered_at, n.dead_at,
                       a.attempt_no, a.attempted_at, a.status_code, a.latency_ms, a.outcome, a.error
                  from (select * from notification n where %s order by n.created_at desc, n.id limit ?) n
                  left join delivery_attempt a on a.notification_id = n.id
                 order by n.created_at desc, n.id, a.attempt_no
                """.formatted(where);
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            ps.setObject(i++, p1 instanceof Instant t ? Timestamp.from(t) : p1);
            if (p2 != null) {
                ps.setObject(i++, p2 instanceof Instant t ? Timestamp.from(t) : p2);
            }
            ps.setInt(i, limit);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    UUID id = rs.getObject(1, UUID.class);
                    List<DeliveryLog.Attempt> list = attempts.computeIfAbsent(id, k -> new ArrayList<>());
                    if (!logs.containsKey(id)) {
                        logs.put(id, new DeliveryLog(id, rs.getObject(2, UUID.class), rs.getString(3), rs.getString(4),
                                rs.getString(5), rs.getString(6), rs.getInt(7), instant(rs, 8), rs.getString(9),
                                instant(rs, 10), instant(rs, 11), instant(rs, 12), list));
                    }
                    if (rs.getObject(13) != null) {
                        Object code = rs.getObject(15);
                        list.add(new DeliveryLog.Attempt(rs.getInt(13), instant(rs, 14),
                                code == null ? null : ((Number) code).intValue(), rs.getLong(16), rs.getString(17),
                                rs.getString(18)));
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read delivery log", e);
        }
        return new ArrayList<>(logs.values());
    }

    public long dueBacklog(Instant now) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "select count(*) from notification where status = 'PENDING' and next_attempt_at <= ?")) {
            ps.setTimestamp(1, Timestamp.from(now));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot count backlog", e);
        }
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
