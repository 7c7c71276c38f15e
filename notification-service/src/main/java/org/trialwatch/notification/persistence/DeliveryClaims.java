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
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.trialwatch.notification.domain.delivery.DueNotification;

/**
 * Notifications are due-dated rows: the dispatcher claims due ones with {@code FOR UPDATE SKIP LOCKED} and pushes
 * their due time past a lease, so two replicas never send the same attempt and a replica that dies mid-send leaves
 * the row to be claimed again once the lease runs out.
 */
@ApplicationScoped
public class DeliveryClaims {

    private final DataSource dataSource;
    private final SecretBox box;

    public DeliveryClaims(DataSource dataSource, SecretBox box) {
        this.dataSource = dataSource;
        this.box = box;
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
     *
     * <p>Its shape leans on PostgreSQL's statistics as little as it can (ADR 0203). A claim touches a few dozen rows,
     * but right after a fan-out the tables are larger than when they were last analyzed, and the planner then chose
     * hash joins over whole tables: every subscription for the front's few, every pending notification to lock the
     * chosen ones. So the front's subscriptions and the leased rows' targets are looked up one by one
     * ({@code LATERAL … LIMIT 1}, which the planner cannot turn into a join), the in-flight count only for the front's
     * subscriptions (through {@code notification_claimed_idx}: the {@code OFFSET 0} fence keeps the planner off the
     * due index, whose future end fills with dead entries during a fan-out; the whole-table count only when
     * {@code behind} runs), and the chosen rows are locked by primary key ({@code id = any(array(…))}). What no shape
     * can fix is a planner told there are no due rows at all (it then reads the front through the wrong index): the
     * intake refreshes the statistics when it writes a fan-out ({@code trialwatch.delivery.refresh-statistics-after}).
     *
     * <p>The lock step writes its status check as {@code is not distinct from}, which means the same for a column that is
     * never null, so that no index on pending rows can serve it: with {@code status = 'PENDING'} the planner could walk
     * {@code notification_due_idx} or {@code notification_pending_subscription_idx} over every due row and filter them
     * by id. It did, whenever the statistics said few rows were pending (as they do whenever the table holds more
     * delivered than pending rows): measured at 200 changes/s, claims of about 30 rows read up to 950 due rows each to
     * lock them, and each claim read more the further the dispatcher fell behind. The primary key is now the only index
     * it can use.
     */
    @Transactional
    public List<Claimed> claimDue(int limit, int perSubscription, Duration lease, Instant now) {
        List<Claimed> claimed = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(CLAIM_SQL)) {
            bindClaim(ps, now, now.plus(lease), limit, perSubscription);
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
                     with front as materialized (
                              select n.id, n.subscription_id, n.next_attempt_at from notification n
                               where n.status = 'PENDING' and n.next_attempt_at <= :now
                               order by n.next_attempt_at
                               limit :limit),
                          front_held as materialized (
                              select f.subscription_id,
                                     (select count(*) from (
                                             select h.status, h.next_attempt_at from notification h
                                              where h.subscription_id = f.subscription_id and h.claim_token is not null
                                             offset 0) c
                                       where c.status = 'PENDING' and c.next_attempt_at > :now) as held
                                from (select distinct subscription_id from front) f
                               cross join lateral (
                                     select 1 from subscription s
                                      where s.id = f.subscription_id and s.enabled and s.verified_at is not null
                                      limit 1) sendable),
                          ranked_front as materialized (
                              select f.id, f.subscription_id, f.next_attempt_at, h.held, h.held
                                         + row_number() over (partition by f.subscription_id order by f.next_attempt_at, f.id) as nth
                                from front f
                                join front_held h on h.subscription_id = f.subscription_id),
                          in_flight as materialized (
                              select n.subscription_id, count(*) as held from notification n
                               where n.claim_token is not null and n.status = 'PENDING' and n.next_attempt_at > :now
                               group by n.subscription_id),
                          behind as (
                              select x.id, x.subscription_id, x.next_attempt_at, coalesce(i.held, 0) as held
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
                              select id, subscription_id, next_attempt_at, held from ranked_front
                              union
                              select id, subscription_id, next_attempt_at, held from behind),
                          due as (
                              select r.id from (
                                  select c.id, c.next_attempt_at, c.held
                                             + row_number() over (partition by c.subscription_id order by c.next_attempt_at, c.id) as nth
                                    from candidates c) r
                               where r.nth <= :cap
                               order by r.next_attempt_at
                               limit :limit),
                          claimed as (
                              select n.id from notification n
                               where n.id = any(array(select id from due))
                                 and n.status is not distinct from 'PENDING' and n.next_attempt_at <= :now
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
                       from leased l
                      cross join lateral (
                            select s.channel, s.url, s.email from subscription s where s.id = l.subscription_id limit 1) s
            """;
    private static final Pattern CLAIM_PARAMETER = Pattern.compile("(?<!:):(now|until|limit|cap)\\b");
    private static final List<String> CLAIM_PARAMETERS = CLAIM_PARAMETER.matcher(CLAIM_NAMED).results()
            .map(m -> m.group(1)).toList();
    private static final String CLAIM_SQL = CLAIM_PARAMETER.matcher(CLAIM_NAMED).replaceAll("?");

    /** The claim's SQL (its parameters bound by {@link #bindClaim}), for plan checks. */
    static String claimStatement() {
        return CLAIM_SQL;
    }

    /**
     * Binds the claim's named parameters, which repeat in the statement, to {@code ps}: the claim itself, or the claim
     * behind a prefix that adds no parameters (an {@code explain}).
     */
    static void bindClaim(PreparedStatement ps, Instant now, Instant until, int limit, long perSubscription)
            throws SQLException {
        Timestamp at = Timestamp.from(now);
        Timestamp leasedUntil = Timestamp.from(until);
        for (int p = 0; p < CLAIM_PARAMETERS.size(); p++) {
            switch (CLAIM_PARAMETERS.get(p)) {
                case "now" -> ps.setTimestamp(p + 1, at);
                case "until" -> ps.setTimestamp(p + 1, leasedUntil);
                case "limit" -> ps.setInt(p + 1, limit);
                case "cap" -> ps.setLong(p + 1, perSubscription);
                default -> throw new IllegalStateException(CLAIM_PARAMETERS.get(p));
            }
        }
    }

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
}
