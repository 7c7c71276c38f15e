package org.trialwatch.notification.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.trialwatch.notification.domain.delivery.AttemptResult;
import org.trialwatch.notification.domain.delivery.DeliveryDecision;
import org.trialwatch.notification.domain.delivery.DeliveryLog;
import org.trialwatch.notification.domain.delivery.DueNotification;
import org.trialwatch.notification.domain.delivery.RetryPolicy;

/**
 * The delivery log: records each attempt with its outcome (fenced by the claim token), lists a subscription's
 * deliveries and the dead letters, and replays them.
 */
@ApplicationScoped
public class DeliveryLogStore {

    private final DataSource dataSource;
    private final EndpointHealth endpoints;

    public DeliveryLogStore(DataSource dataSource, EndpointHealth endpoints) {
        this.dataSource = dataSource;
        this.endpoints = endpoints;
    }

    /** One finished attempt, waiting to be logged. */
    public record Attempted(DueNotification notification, AttemptResult result, DeliveryDecision decision,
                            Instant at) {
    }

    /** What recording an attempt did to the subscription. */
    public record Recorded(boolean subscriptionDisabled, String disabledReason) {
    }

    /**
     * Logs the attempts and applies their decisions, in one transaction with batched statements. A failure starts (or
     * continues) the endpoint's failing period; when that has lasted {@code disableAfter}, or the endpoint answered
     * 410, the subscription is disabled. Returns, in order, what each attempt did to its subscription.
     *
     * <p>Fenced: an outcome is applied only where the row still carries the claim token the attempt was made under. An
     * attempt that outlived its lease (its row was claimed again, or replayed) is logged as it happened, marked late,
     * and changes neither the notification nor its endpoint's health.
     */
    @Transactional
    public List<Recorded> recordAll(List<Attempted> attempts, Duration disableAfter) {
        List<Recorded> recorded = new ArrayList<>(attempts.size());
        if (attempts.isEmpty()) {
            return recorded;
        }
        int size = attempts.size();
        Object[] ids = new Object[size];
        Object[] tokens = new Object[size];
        Object[] at = new Object[size];
        Object[] codes = new Object[size];
        Object[] latencies = new Object[size];
        Object[] outcomes = new Object[size];
        Object[] logErrors = new Object[size];
        Object[] statuses = new Object[size];
        Object[] nexts = new Object[size];
        Object[] lastErrors = new Object[size];
        for (int i = 0; i < size; i++) {
            Attempted a = attempts.get(i);
            AttemptResult result = a.result();
            DeliveryDecision decision = a.decision();
            Instant now = a.at();
            ids[i] = a.notification().id();
            tokens[i] = a.notification().claimToken();
            at[i] = now.toString();
            codes[i] = result.statusCode() == null ? null : result.statusCode().toString();
            latencies[i] = Long.toString(result.latencyMs());
            outcomes[i] = result.succeeded() ? "SUCCEEDED" : "FAILED";
            logErrors[i] = result.succeeded() ? null : RetryPolicy.describe(result)
                    + (result.error() != null && result.statusCode() != null ? ": " + result.error() : "");
            String error = result.succeeded() ? null : RetryPolicy.describe(result);
            if (decision instanceof DeliveryDecision.Delivered) {
                statuses[i] = "DELIVERED";
            } else if (decision instanceof DeliveryDecision.RetryLater r) {
                statuses[i] = "PENDING";
                nexts[i] = now.plus(r.delay()).toString();
            } else if (decision instanceof DeliveryDecision.DeadLetter dead) {
                statuses[i] = "DEAD";
                error = dead.reason();
            } else {
                statuses[i] = "DEAD";
                error = ((DeliveryDecision.DisableEndpoint) decision).reason();
            }
            lastErrors[i] = error;
        }
        try (Connection c = dataSource.getConnection()) {
            // Every row this transaction reads is found by key. The statements' plans are cached by the server and
            // outlive the statistics they were made on: planned while delivery_attempt was a few pages (a fresh
            // system, or any plan renewed before autovacuum caught up), each attempt's number was looked up with a
            // scan of the whole table, which a fan-out then grew by thousands of rows (measured: 50 ms per round of
            // 60 instead of 6). Without sequential scans to choose from, the plan stays on the indexes.
            try (Statement set = c.createStatement()) {
                set.execute("set local enable_seqscan = off");
            }
            Set<UUID> applied = new HashSet<>();
            try (PreparedStatement ps = c.prepareStatement("""
                    update notification n set attempts = n.attempts + 1, status = k.status,
                           next_attempt_at = k.next::timestamptz, last_error = k.error, claim_token = null,
                           delivered_at = case when k.status = 'DELIVERED' then k.at::timestamptz else n.delivered_at end,
                           dead_at = case when k.status = 'DEAD' then k.at::timestamptz end
                      from unnest(?::uuid[], ?::uuid[], ?::text[], ?::text[], ?::text[], ?::text[])
                           as k(id, token, status, next, error, at)
                     where n.id = k.id and n.claim_token = k.token
                    returning n.id
                    """)) {
                ps.setArray(1, c.createArrayOf("uuid", ids));
                ps.setArray(2, c.createArrayOf("uuid", tokens));
                ps.setArray(3, c.createArrayOf("text", statuses));
                ps.setArray(4, c.createArrayOf("text", nexts));
                ps.setArray(5, c.createArrayOf("text", lastErrors));
                ps.setArray(6, c.createArrayOf("text", at));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        applied.add(rs.getObject(1, UUID.class));
                    }
                }
            }
            for (int i = 0; i < size; i++) {
                if (!applied.contains((UUID) ids[i])) {
                    logErrors[i] = (logErrors[i] == null ? "" : logErrors[i] + "; ")
                            + "late: the claim had passed to another attempt, outcome not applied";
                }
            }
            // the log: one multi-row insert; attempt numbers continue each notification's log (a replay keeps it).
            // A notification deleted meanwhile (its subscription was deleted while the attempt ran) has no log to
            // continue: without the exists filter its row broke the foreign key and failed every later round for all.
            try (PreparedStatement ps = c.prepareStatement("""
                    insert into delivery_attempt (notification_id, attempt_no, attempted_at, status_code, latency_ms,
                                                  outcome, error)
                    select k.id, coalesce((select max(d.attempt_no) from delivery_attempt d where d.notification_id = k.id),
                                          0) + k.nth, k.at::timestamptz, k.code::int, k.latency::bigint, k.outcome, k.error
                      from (select u.*, row_number() over (partition by u.id order by u.at) as nth
                              from unnest(?::uuid[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[])
                                   as u(id, at, code, latency, outcome, error)) k
                     where exists (select 1 from notification n where n.id = k.id)
                    """)) {
                ps.setArray(1, c.createArrayOf("uuid", ids));
                ps.setArray(2, c.createArrayOf("text", at));
                ps.setArray(3, c.createArrayOf("text", codes));
                ps.setArray(4, c.createArrayOf("text", latencies));
                ps.setArray(5, c.createArrayOf("text", outcomes));
                ps.setArray(6, c.createArrayOf("text", logErrors));
                ps.executeUpdate();
            }
            // endpoints that answered: one statement for all of them (it touches only those that were failing)
            endpoints.answered(attempts.stream()
                    .filter(a -> a.result().succeeded() && applied.contains(a.notification().id()))
                    .map(a -> a.notification().subscriptionId()).distinct().sorted().toList());
            for (Attempted a : attempts) {
                recorded.add(a.result().succeeded() || !applied.contains(a.notification().id())
                        ? new Recorded(false, null)
                        : endpoints.failed(a.notification().subscriptionId(), a.decision(), a.at(), disableAfter));
            }
            return recorded;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot record delivery attempts", e);
        }
    }

    /** Makes a dead-lettered or delivered notification due now, with a fresh round of attempts. */
    @Transactional
    public boolean replay(UUID notificationId, Instant now) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("update notification set status = 'PENDING', attempts = 0, "
                     + "next_attempt_at = ?, dead_at = null, claim_token = null "
                     + "where id = ? and status in ('DEAD', 'DELIVERED')")) {
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
                     + "next_attempt_at = ?, dead_at = null, claim_token = null "
                     + "where status = 'DEAD' and dead_at >= ? and dead_at < ?")) {
            ps.setTimestamp(1, Timestamp.from(now));
            ps.setTimestamp(2, Timestamp.from(from));
            ps.setTimestamp(3, Timestamp.from(to));
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot replay dead letters", e);
        }
    }

    /**
     * A position in a list of notifications, which runs newest first on (created_at, id): a page starts after it.
     * Null for the first page.
     */
    public record After(Instant createdAt, UUID id) {
    }

    /** Up to {@code limit} of the subscription's notifications after {@code after}, newest first. */
    public List<DeliveryLog> deliveries(UUID subscriptionId, After after, int limit) {
        return logs("n.subscription_id = ?", List.of(subscriptionId), after, limit);
    }

    /** Up to {@code limit} notifications dead-lettered in [from, to), after {@code after}, newest first. */
    public List<DeliveryLog> deadLetters(Instant from, Instant to, After after, int limit) {
        return logs("n.status = 'DEAD' and n.dead_at >= ? and n.dead_at < ?", List.of(from, to), after, limit);
    }

    public Optional<DeliveryLog> log(UUID notificationId) {
        return logs("n.id = ?", List.of(notificationId), null, 1).stream().findFirst();
    }

    private List<DeliveryLog> logs(String where, List<Object> params, After after, int limit) {
        Map<UUID, DeliveryLog> logs = new LinkedHashMap<>();
        Map<UUID, List<DeliveryLog.Attempt>> attempts = new LinkedHashMap<>();
        String sql = """
                select n.id, n.subscription_id, n.event_id, n.event_type, n.nct_id, n.status, n.attempts,
                       n.next_attempt_at, n.last_error, n.created_at, n.delivered_at, n.dead_at,
                       a.attempt_no, a.attempted_at, a.status_code, a.latency_ms, a.outcome, a.error
                  from (select * from notification n where %s%s order by n.created_at desc, n.id desc limit ?) n
                  left join delivery_attempt a on a.notification_id = n.id
                 order by n.created_at desc, n.id desc, a.attempt_no
                """.formatted(where, after == null ? "" : " and (n.created_at, n.id) < (?, ?)");
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            for (Object p : params) {
                ps.setObject(i++, p instanceof Instant t ? Timestamp.from(t) : p);
            }
            if (after != null) {
                ps.setTimestamp(i++, Timestamp.from(after.createdAt()));
                ps.setObject(i++, after.id());
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


    private static Instant instant(ResultSet rs, int column) throws SQLException {
        Timestamp t = rs.getTimestamp(column);
        return t == null ? null : t.toInstant();
    }
}
