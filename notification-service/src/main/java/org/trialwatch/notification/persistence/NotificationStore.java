package org.trialwatch.notification.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.trialwatch.notification.persistence.SecretBox;
import org.trialwatch.support.tracing.TraceParent;
import org.trialwatch.notification.domain.delivery.AttemptResult;
import org.trialwatch.notification.domain.delivery.DeliveryDecision;
import org.trialwatch.notification.domain.delivery.DeliveryLog;
import org.trialwatch.notification.domain.delivery.DueNotification;
import org.trialwatch.notification.domain.delivery.RetryPolicy;

/**
 * Notifications are due-dated rows: the dispatcher claims due ones with {@code FOR UPDATE SKIP LOCKED} and pushes
 * their due time past a lease, so two replicas never send the same attempt and a replica that dies mid-send leaves
 * the row to be claimed again once the lease runs out.
 */
@ApplicationScoped
public class NotificationStore {

    private final DataSource dataSource;
    private final SecretBox box;

    public NotificationStore(DataSource dataSource, SecretBox box) {
        this.dataSource = dataSource;
        this.box = box;
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

    /** A claimed notification with what sending it needs: its subscription's channel, target and live secrets. */
    public record Claimed(DueNotification notification, String channel, String url, String email,
                          List<String> secrets) {
    }

    /** Claims due notifications without a per-subscription cap (see the four-argument form). */
    public List<Claimed> claimDue(int limit, Duration lease, Instant now) {
        return claimDue(limit, Integer.MAX_VALUE, lease, now);
    }

    /**
     * Claims up to {@code limit} due notifications of enabled, verified subscriptions (one whose target was changed
     * waits until the new target is verified, so nothing queued goes to an address that never agreed), leasing them for {@code lease} under a
     * fresh claim token each; in the same statement reads their subscriptions' targets and the secrets live at
     * {@code now}, so sending needs no per-notification query.
     *
     * <p>At most {@code perSubscription} attempts of one subscription are in flight across all replicas: rows already
     * claimed under a live lease count, a subscription at its cap is skipped, and one below it gets only the rest of
     * its share. So one endpoint that holds its attempts for their whole deadline never holds more than its share of
     * the senders, and the others' notifications are claimed past it.
     *
     * <p>Reads about what it claims: the {@code front} is the {@code limit} oldest due rows (enough when due work is
     * spread over subscriptions, as after a fan-out); only when subscriptions at their cap take up the front (one
     * endpoint's backlog) are the others' oldest due rows looked up per subscription ({@code behind}, through
     * {@code notification_pending_subscription_idx}). Before, the due index was walked past every row of a capped
     * subscription, and four times the claim was locked to keep a quarter: with a backlog, each claim read thousands
     * of rows. Rows are locked ({@code SKIP LOCKED}, the due condition checked again on the locked row) only once
     * chosen.
     */
    @Transactional
    public List<Claimed> claimDue(int limit, int perSubscription, Duration lease, Instant now) {
        List<Claimed> claimed = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(CLAIM_SQL)) {
            Timestamp at = Timestamp.from(now);
            Timestamp until = Timestamp.from(now.plus(lease));
            for (int p = 0; p < CLAIM_PARAMETERS.size(); p++) {
                switch (CLAIM_PARAMETERS.get(p)) {
                    case "now" -> ps.setTimestamp(p + 1, at);
                    case "until" -> ps.setTimestamp(p + 1, until);
                    case "limit" -> ps.setInt(p + 1, limit);
                    case "cap" -> ps.setLong(p + 1, perSubscription);
                    default -> throw new IllegalStateException(CLAIM_PARAMETERS.get(p));
                }
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    DueNotification n = new DueNotification(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                            rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6), rs.getInt(7),
                            rs.getObject(12, UUID.class), rs.getString(14));
                    List<String> secrets = opened(n.subscriptionId(), (String[]) rs.getArray(11).getArray(),
                            (String[]) rs.getArray(13).getArray());
                    claimed.add(new Claimed(n, rs.getString(8), rs.getString(9), rs.getString(10), secrets));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot claim due notifications", e);
        }
        return claimed;
    }

    /** The claim with named parameters (:now, :until, :limit, :cap); see {@link #claimDue(int, int, Duration, Instant)}. */
    private static final String CLAIM_NAMED = """
                     with in_flight as materialized (
                              select n.subscription_id, count(*) as held from notification n
                               where n.claim_token is not null and n.status = 'PENDING' and n.next_attempt_at > :now
                               group by n.subscription_id),
                          front as materialized (
                              select n.id, n.subscription_id, n.next_attempt_at from notification n
                               where n.status = 'PENDING' and n.next_attempt_at <= :now
                               order by n.next_attempt_at
                               limit :limit),
                          ranked_front as materialized (
                              select f.id, f.subscription_id, f.next_attempt_at, coalesce(i.held, 0)
                                         + row_number() over (partition by f.subscription_id order by f.next_attempt_at, f.id) as nth
                                from front f
                                join subscription s on s.id = f.subscription_id and s.enabled and s.verified_at is not null
                                left join in_flight i on i.subscription_id = f.subscription_id),
                          behind as (
                              select x.id, x.subscription_id, x.next_attempt_at
                                from subscription s
                                left join in_flight i on i.subscription_id = s.id
                               cross join lateral (
                                     select n.id, n.subscription_id, n.next_attempt_at from notification n
                                      where n.subscription_id = s.id and n.status = 'PENDING' and n.next_attempt_at <= :now
                                      order by n.next_attempt_at
                                      limit :cap - coalesce(i.held, 0)) x
                               where s.enabled and s.verified_at is not null and coalesce(i.held, 0) < :cap
                                 and (select count(*) from front) = :limit
                                 and (select count(*) from ranked_front where nth <= :cap) < :limit),
                          candidates as (
                              select id, subscription_id, next_attempt_at from front
                              union
                              select id, subscription_id, next_attempt_at from behind),
                          due as (
                              select r.id from (
                                  select c.id, c.next_attempt_at, coalesce(i.held, 0)
                                             + row_number() over (partition by c.subscription_id order by c.next_attempt_at, c.id) as nth
                                    from candidates c
                                    join subscription s on s.id = c.subscription_id and s.enabled and s.verified_at is not null
                                    left join in_flight i on i.subscription_id = c.subscription_id) r
                               where r.nth <= :cap
                               order by r.next_attempt_at
                               limit :limit),
                          claimed as (
                              select n.id from notification n
                               where n.id in (select id from due) and n.status = 'PENDING' and n.next_attempt_at <= :now
                                 for update skip locked),
                          leased as (
                              update notification n set next_attempt_at = :until, claim_token = gen_random_uuid()
                                from claimed where n.id = claimed.id
                              returning n.id, n.subscription_id, n.event_id, n.event_type, n.nct_id, n.body, n.attempts, n.claim_token,
                                        n.traceparent)
                     select l.id, l.subscription_id, l.event_id, l.event_type, l.nct_id, l.body, l.attempts,
                            s.channel, s.url, s.email,
                            array(select w.secret from webhook_secret w
                                   where w.subscription_id = l.subscription_id and (w.expires_at is null or w.expires_at > :now)
                                   order by w.created_at desc, w.id desc) as secrets,
                            l.claim_token,
                            array(select coalesce(w.key_id, '') from webhook_secret w
                                   where w.subscription_id = l.subscription_id and (w.expires_at is null or w.expires_at > :now)
                                   order by w.created_at desc, w.id desc) as key_ids,
                            l.traceparent
                       from leased l join subscription s on s.id = l.subscription_id
            """;
    private static final Pattern CLAIM_PARAMETER = Pattern.compile("(?<!:):(now|until|limit|cap)\\b");
    private static final List<String> CLAIM_PARAMETERS = CLAIM_PARAMETER.matcher(CLAIM_NAMED).results()
            .map(m -> m.group(1)).toList();
    private static final String CLAIM_SQL = CLAIM_PARAMETER.matcher(CLAIM_NAMED).replaceAll("?");

    /** Secrets as stored (sealed under the key named beside each; no key id: plain text from before sealing). */
    private List<String> opened(UUID subscriptionId, String[] stored, String[] keyIds) {
        List<String> secrets = new ArrayList<>(stored.length);
        for (int i = 0; i < stored.length; i++) {
            secrets.add(keyIds[i].isEmpty() ? stored[i]
                    : box.open(new SecretBox.Sealed(keyIds[i], stored[i]), subscriptionId.toString()));
        }
        return secrets;
    }

    /**
     * Extends the leases of the claims still held under {@code tokens} to {@code until}; a claim another replica took
     * over carries another token and is left alone. Returns how many were extended.
     */
    @Transactional
    public int renew(Collection<UUID> tokens, Instant until) {
        if (tokens.isEmpty()) {
            return 0;
        }
        try (Connection c = dataSource.getConnection();
             // rows being recorded right now are skipped (their claim ends anyway), so renewal never waits on them
             PreparedStatement ps = c.prepareStatement("update notification set next_attempt_at = ? where id in ("
                     + "select id from notification where claim_token = any(?) and status = 'PENDING' "
                     + "for update skip locked)")) {
            ps.setTimestamp(1, Timestamp.from(until));
            ps.setArray(2, c.createArrayOf("uuid", tokens.toArray()));
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot renew delivery leases", e);
        }
    }

    /** Gives claims back at once (on shutdown), so another replica takes them without waiting for the lease. */
    @Transactional
    public int release(Collection<UUID> tokens, Instant now) {
        if (tokens.isEmpty()) {
            return 0;
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("update notification set next_attempt_at = ?, claim_token = null "
                     + "where claim_token = any(?) and status = 'PENDING'")) {
            ps.setTimestamp(1, Timestamp.from(now));
            ps.setArray(2, c.createArrayOf("uuid", tokens.toArray()));
            return ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot release delivery claims", e);
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
            List<UUID> answered = attempts.stream()
                    .filter(a -> a.result().succeeded() && applied.contains(a.notification().id()))
                    .map(a -> a.notification().subscriptionId()).distinct().sorted().toList();
            if (!answered.isEmpty()) {
                try (PreparedStatement ps = c.prepareStatement("update subscription set failing_since = null "
                        + "where id = any(?) and failing_since is not null")) {
                    ps.setArray(1, c.createArrayOf("uuid", answered.toArray()));
                    ps.executeUpdate();
                }
            }
            for (Attempted a : attempts) {
                recorded.add(a.result().succeeded() || !applied.contains(a.notification().id())
                        ? new Recorded(false, null)
                        : updateEndpointHealth(c, a.notification().subscriptionId(), a.result(), a.decision(), a.at(),
                                disableAfter));
            }
            return recorded;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot record delivery attempts", e);
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
