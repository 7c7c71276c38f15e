package org.trialwatch.notification.subscription;

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
import org.trialwatch.notification.matching.Dimension;
import org.trialwatch.notification.matching.SubscriptionFilter;

/** Subscriptions, their exploded filter rows (the matching index) and their signing secrets, in PostgreSQL. */
@ApplicationScoped
public class SubscriptionStore {

    private static final String COLUMNS = "id, team, name, channel, url, email, contact_email, filter, enabled, "
            + "disabled_reason, created_at, updated_at";
    private static final ObjectMapper JSON = EventJson.mapper();

    private final DataSource dataSource;

    public SubscriptionStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Transactional
    public void insert(Subscription s, String secret) {
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("insert into subscription (" + COLUMNS
                    + ", specific_dimensions) values (?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?)")) {
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
                ps.setInt(13, s.filter().specificDimensions());
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
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("update subscription set name = ?, url = ?, email = ?, "
                    + "contact_email = ?, filter = ?::jsonb, specific_dimensions = ?, enabled = ?, disabled_reason = ?, "
                    + "updated_at = ?, failing_since = case when ? then null else failing_since end where id = ?")) {
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
                ps.setObject(11, s.id());
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

    public Optional<Subscription> find(UUID id) {
        List<Subscription> found = query("select " + COLUMNS + " from subscription where id = ?", id);
        return found.stream().findFirst();
    }

    public List<Subscription> listByTeam(String team) {
        return query("select " + COLUMNS + " from subscription where team = ? order by created_at, id", team);
    }

    public List<Subscription> listAll() {
        return query("select " + COLUMNS + " from subscription order by team, created_at, id");
    }

    /** The secrets that sign right now: the current one and any rotated out less than the overlap ago. */
    public List<String> liveSecrets(UUID subscriptionId, Instant now) {
        List<String> secrets = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("select secret from webhook_secret where subscription_id = ? "
                     + "and (expires_at is null or expires_at > ?) order by created_at desc, id desc")) {
            ps.setObject(1, subscriptionId);
            ps.setTimestamp(2, Timestamp.from(now));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    secrets.add(rs.getString(1));
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

    private static void addSecret(Connection c, UUID subscriptionId, String secret, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "insert into webhook_secret (subscription_id, secret, created_at) values (?, ?, ?)")) {
            ps.setObject(1, subscriptionId);
            ps.setString(2, secret);
            ps.setTimestamp(3, Timestamp.from(now));
            ps.executeUpdate();
        }
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
                    rs.getTimestamp("created_at").toInstant(), rs.getTimestamp("updated_at").toInstant());
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
