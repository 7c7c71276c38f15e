package org.trialwatch.notification.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import javax.sql.DataSource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.trialwatch.events.EventJson;
import org.trialwatch.notification.domain.matching.Dimension;
import org.trialwatch.notification.domain.matching.SubscriptionFilter;
import org.trialwatch.notification.persistence.SecretBox;
import org.trialwatch.notification.domain.subscription.Channel;
import org.trialwatch.notification.domain.subscription.Subscription;

/**
 * Subscriptions, their exploded filter rows (the matching index) and their signing secrets, in PostgreSQL. Secrets
 * are stored sealed ({@link SecretBox}) with the id of the key beside them; a row without a key id is a secret stored
 * in plain text before sealing existed, read as it is until {@link #resealSecrets()} seals it.
 */
@ApplicationScoped
public class SubscriptionStore {

    private static final String COLUMNS = "id, team, name, channel, url, email, contact_email, filter, enabled, "
            + "disabled_reason, created_at, updated_at, verified_at, verification_error, contact_email_confirmed_at";
    private static final ObjectMapper JSON = EventJson.mapper();

    private final DataSource dataSource;
    private final SecretBox box;

    public SubscriptionStore(DataSource dataSource, SecretBox box) {
        this.dataSource = dataSource;
        this.box = box;
    }

    @Transactional
    public void insert(Subscription s, String secret) {
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("insert into subscription (" + COLUMNS
                    + ", specific_dimensions) values (?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                ps.setObject(1, s.id());
                ps.setString(2, s.team());
                ps.setString(3, s.name());
                ps.setString(4, s.channel().name());
                ps.setString(5, s.url());
                ps.setString(6, s.email());
                ps.setString(7, s.contactEmail());
                ps.setString(8, json(s.filter()));
                ps.setBoolean(9, s.enabled());
                ps.setString(10, s.disabledReason());
                ps.setTimestamp(11, Timestamp.from(s.createdAt()));
                ps.setTimestamp(12, Timestamp.from(s.updatedAt()));
                ps.setTimestamp(13, s.verifiedAt() == null ? null : Timestamp.from(s.verifiedAt()));
                ps.setString(14, s.verificationError());
                ps.setTimestamp(15, s.contactEmailConfirmedAt() == null ? null
                        : Timestamp.from(s.contactEmailConfirmedAt()));
                ps.setInt(16, s.filter().specificDimensions());
                ps.executeUpdate();
            }
            writeFilterRows(c, s.id(), s.filter());
            if (secret != null) {
                addSecret(c, s.id(), secret, s.createdAt());
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot store subscription", e);
        }
    }

    @Transactional
    public void update(Subscription s, boolean resetFailures) {
        update(s, resetFailures, false);
    }

    /**
     * As above; a changed target ({@code targetChanged}) is unverified again until it answers or confirms anew, and a
     * changed contact address is unconfirmed again (decided here, against the stored address, for every caller).
     */
    @Transactional
    public void update(Subscription s, boolean resetFailures, boolean targetChanged) {
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("update subscription set name = ?, url = ?, email = ?, "
                    + "contact_email = ?, filter = ?::jsonb, specific_dimensions = ?, enabled = ?, disabled_reason = ?, "
                    + "updated_at = ?, failing_since = case when ? then null else failing_since end, "
                    + "verified_at = case when ? then null else verified_at end, "
                    + "verification_error = case when ? then null else verification_error end, "
                    // the right-hand side reads the row as it was: a new address starts unconfirmed
                    + "contact_email_confirmed_at = case when contact_email is distinct from ? then null "
                    + "else contact_email_confirmed_at end where id = ?")) {
                ps.setString(1, s.name());
                ps.setString(2, s.url());
                ps.setString(3, s.email());
                ps.setString(4, s.contactEmail());
                ps.setString(5, json(s.filter()));
                ps.setInt(6, s.filter().specificDimensions());
                ps.setBoolean(7, s.enabled());
                ps.setString(8, s.disabledReason());
                ps.setTimestamp(9, Timestamp.from(s.updatedAt()));
                ps.setBoolean(10, resetFailures);
                ps.setBoolean(11, targetChanged);
                ps.setBoolean(12, targetChanged);
                ps.setString(13, s.contactEmail());
                ps.setObject(14, s.id());
                ps.executeUpdate();
            }
            try (PreparedStatement ps = c.prepareStatement("delete from subscription_filter_value where subscription_id = ?")) {
                ps.setObject(1, s.id());
                ps.executeUpdate();
            }
            writeFilterRows(c, s.id(), s.filter());
        } catch (SQLException e) {
            throw new IllegalStateException("cannot update subscription", e);
        }
    }

    @Transactional
    public boolean delete(UUID id) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("delete from subscription where id = ?")) {
            ps.setObject(1, id);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot delete subscription", e);
        }
    }

    /**
     * Records that the subscription's target is verified, if the target is still {@code target}: a verification of a
     * URL or address that has since been changed vouches for nothing. Returns whether it was recorded.
     */
    @Transactional
    public boolean markVerified(UUID id, String target, Instant at) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("update subscription set verified_at = coalesce(verified_at, ?), "
                     + "verification_error = null where id = ? and coalesce(url, email) = ?")) {
            ps.setTimestamp(1, Timestamp.from(at));
            ps.setObject(2, id);
            ps.setString(3, target);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot record verification", e);
        }
    }

    /**
     * Records that the subscription's contact address confirmed, if it is still {@code address}: a link mailed to an
     * address since replaced confirms nothing. Confirming again keeps the first time. Returns whether it was recorded.
     */
    @Transactional
    public boolean markContactConfirmed(UUID id, String address, Instant at) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("update subscription set contact_email_confirmed_at = "
                     + "coalesce(contact_email_confirmed_at, ?) where id = ? and contact_email = ?")) {
            ps.setTimestamp(1, Timestamp.from(at));
            ps.setObject(2, id);
            ps.setString(3, address);
            return ps.executeUpdate() == 1;
        } catch (SQLException e) {
            throw new IllegalStateException("cannot record the contact address's confirmation", e);
        }
    }

    /** Why the subscription is still unverified (its target unchanged), for the team to read. */
    @Transactional
    public void markPending(UUID id, String target, String reason) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("update subscription set verification_error = ? "
                     + "where id = ? and coalesce(url, email) = ? and verified_at is null")) {
            ps.setString(1, reason);
            ps.setObject(2, id);
            ps.setString(3, target);
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot record verification state", e);
        }
    }

    public Optional<Subscription> find(UUID id) {
        List<Subscription> found = query("select " + COLUMNS + " from subscription where id = ?", id);
        return found.stream().findFirst();
    }

    /** Where a page of subscriptions ends: the next page starts after it (newest first). Opaque to clients. */
    public record Cursor(Instant createdAt, UUID id) {
        public String text() {
            return java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                    (createdAt + "|" + id).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }

        /** The cursor a page handed out, or empty when the text is not one. */
        public static Optional<Cursor> parse(String text) {
            try {
                String[] parts = new String(java.util.Base64.getUrlDecoder().decode(text),
                        java.nio.charset.StandardCharsets.UTF_8).split("\\|", 2);
                return Optional.of(new Cursor(Instant.parse(parts[0]), UUID.fromString(parts[1])));
            } catch (RuntimeException e) {
                return Optional.empty();
            }
        }
    }

    /** One page, newest first, of one team's subscriptions (or of every team's when {@code team} is null). */
    public List<Subscription> page(String team, Cursor after, int limit) {
        StringBuilder sql = new StringBuilder("select " + COLUMNS + " from subscription where true");
        List<Object> params = new ArrayList<>();
        if (team != null) {
            sql.append(" and team = ?");
            params.add(team);
        }
        if (after != null) {
            sql.append(" and (created_at, id) < (?, ?)");
            params.add(Timestamp.from(after.createdAt()));
            params.add(after.id());
        }
        sql.append(" order by created_at desc, id desc limit ?");
        params.add(limit);
        return query(sql.toString(), params.toArray());
    }

    public List<Subscription> listByTeam(String team) {
        return query("select " + COLUMNS + " from subscription where team = ? order by created_at, id", team);
    }

    /**
     * Inserts unless the team already has {@code quota} subscriptions; the count and the insert are serialised per
     * team (an advisory lock), so concurrent creations cannot pass the quota together.
     */
    @Transactional
    public boolean insertWithinQuota(Subscription s, String secret, int quota) {
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement lock = c.prepareStatement("select pg_advisory_xact_lock(hashtext('subscription-quota:' || ?))")) {
                lock.setString(1, s.team());
                lock.execute();
            }
            try (PreparedStatement count = c.prepareStatement("select count(*) from subscription where team = ?")) {
                count.setString(1, s.team());
                try (ResultSet rs = count.executeQuery()) {
                    rs.next();
                    if (rs.getLong(1) >= quota) {
                        return false;
                    }
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot count subscriptions", e);
        }
        insert(s, secret);
        return true;
    }

    public List<Subscription> listAll() {
        return query("select " + COLUMNS + " from subscription order by team, created_at, id");
    }

    /** The secrets that sign right now: the current one and any rotated out less than the overlap ago. */
    public List<String> liveSecrets(UUID subscriptionId, Instant now) {
        List<String> secrets = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select secret, key_id from webhook_secret where subscription_id = ? "
                     + "and (expires_at is null or expires_at > ?) order by created_at desc, id desc")) {
            ps.setObject(1, subscriptionId);
            ps.setTimestamp(2, Timestamp.from(now));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String keyId = rs.getString(2);
                    secrets.add(keyId == null ? rs.getString(1)
                            : box.open(new SecretBox.Sealed(keyId, rs.getString(1)), subscriptionId.toString()));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read secrets", e);
        }
        return secrets;
    }

    /** Adds a new current secret; the previous ones stop signing after {@code overlap}. Returns that expiry. */
    @Transactional
    public Instant rotateSecret(UUID subscriptionId, String newSecret, Instant now, Duration overlap) {
        Instant expiry = now.plus(overlap);
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("update webhook_secret set expires_at = ? "
                    + "where subscription_id = ? and (expires_at is null or expires_at > ?)")) {
                ps.setTimestamp(1, Timestamp.from(expiry));
                ps.setObject(2, subscriptionId);
                ps.setTimestamp(3, Timestamp.from(expiry));
                ps.executeUpdate();
            }
            addSecret(c, subscriptionId, newSecret, now);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot rotate secret", e);
        }
        return expiry;
    }

    private void addSecret(Connection c, UUID subscriptionId, String secret, Instant now) throws SQLException {
        SecretBox.Sealed sealed = box.seal(secret, subscriptionId.toString());
        try (PreparedStatement ps = c.prepareStatement(
                "insert into webhook_secret (subscription_id, secret, key_id, created_at) values (?, ?, ?, ?)")) {
            ps.setObject(1, subscriptionId);
            ps.setString(2, sealed.value());
            ps.setString(3, sealed.keyId());
            ps.setTimestamp(4, Timestamp.from(now));
            ps.executeUpdate();
        }
    }

    /**
     * Seals every secret not sealed under the current key (plain-text rows from before sealing, and rows of a key
     * being retired) under the current one. Run after putting a new key first in TRIALWATCH_WEBHOOKS_SECRET_KEYS;
     * when it reports none left, the old key can be removed. Returns how many were re-sealed.
     */
    @Transactional
    public int resealSecrets() {
        int resealed = 0;
        try (Connection c = dataSource.getConnection();
             PreparedStatement select = c.prepareStatement("select id, subscription_id, secret, key_id from webhook_secret"
                     + " where key_id is null or key_id <> ? for update");
             PreparedStatement update = c.prepareStatement("update webhook_secret set secret = ?, key_id = ? where id = ?")) {
            select.setString(1, box.currentKeyId());
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    String bound = rs.getObject(2, UUID.class).toString();
                    String keyId = rs.getString(4);
                    String secret = keyId == null ? rs.getString(3) : box.open(new SecretBox.Sealed(keyId, rs.getString(3)), bound);
                    SecretBox.Sealed sealed = box.seal(secret, bound);
                    update.setString(1, sealed.value());
                    update.setString(2, sealed.keyId());
                    update.setLong(3, rs.getLong(1));
                    update.addBatch();
                    resealed++;
                }
            }
            update.executeBatch();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot re-seal secrets", e);
        }
        return resealed;
    }

    private static void writeFilterRows(Connection c, UUID id, SubscriptionFilter filter) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "insert into subscription_filter_value (subscription_id, dimension, value) values (?, ?, ?)")) {
            for (Map.Entry<Dimension, Set<String>> entry : filter.indexEntries().entrySet()) {
                for (String value : entry.getValue()) {
                    ps.setObject(1, id);
                    ps.setString(2, entry.getKey().name());
                    ps.setString(3, value);
                    ps.addBatch();
                }
            }
            ps.executeBatch();
        }
    }

    private List<Subscription> query(String sql, Object... params) {
        List<Subscription> result = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    result.add(read(rs));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot read subscriptions", e);
        }
        return result;
    }

    private static Subscription read(ResultSet rs) throws SQLException {
        try {
            return new Subscription(rs.getObject("id", UUID.class), rs.getString("team"), rs.getString("name"),
                    Channel.valueOf(rs.getString("channel")), rs.getString("url"), rs.getString("email"),
                    rs.getString("contact_email"), JSON.readValue(rs.getString("filter"), SubscriptionFilter.class),
                    rs.getBoolean("enabled"), rs.getString("disabled_reason"),
                    rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("updated_at").toInstant(),
                    rs.getTimestamp("verified_at") == null ? null : rs.getTimestamp("verified_at").toInstant(),
                    rs.getString("verification_error"),
                    rs.getTimestamp("contact_email_confirmed_at") == null ? null
                            : rs.getTimestamp("contact_email_confirmed_at").toInstant());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable stored filter", e);
        }
    }

    private static String json(SubscriptionFilter filter) {
        try {
            return JSON.writeValueAsString(filter);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
