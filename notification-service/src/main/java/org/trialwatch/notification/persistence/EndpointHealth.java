package org.trialwatch.notification.persistence;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import org.trialwatch.notification.domain.delivery.DeliveryDecision;

/**
 * Each endpoint's failing period: an answer ends it; a failure starts (or continues) it, and the subscription is
 * disabled when it has lasted {@code disableAfter} or the endpoint answered 410. Called while the delivery log records
 * the attempts, inside its transaction (the pool hands the transaction's connection back).
 */
@ApplicationScoped
public class EndpointHealth {

    private final DataSource dataSource;

    public EndpointHealth(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** Ends the failing period of the subscriptions whose endpoints answered; touches only those that were failing. */
    public void answered(List<UUID> subscriptionIds) {
        if (subscriptionIds.isEmpty()) {
            return;
        }
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("update subscription set failing_since = null "
                     + "where id = any(?) and failing_since is not null")) {
            ps.setArray(1, c.createArrayOf("uuid", subscriptionIds.toArray()));
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot record endpoint health", e);
        }
    }

    /** Records a failed attempt of the subscription's endpoint at {@code now}; disables the subscription when due. */
    public DeliveryLogStore.Recorded failed(UUID subscriptionId, DeliveryDecision decision, Instant now,
                                            Duration disableAfter) {
        try (Connection c = dataSource.getConnection()) {
            Instant failingSince;
            try (PreparedStatement ps = c.prepareStatement("update subscription set failing_since = "
                    + "coalesce(failing_since, ?) where id = ? returning failing_since, enabled")) {
                ps.setTimestamp(1, Timestamp.from(now));
                ps.setObject(2, subscriptionId);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next() || !rs.getBoolean(2)) {
                        return new DeliveryLogStore.Recorded(false, null);
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
                return new DeliveryLogStore.Recorded(false, null);
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "update subscription set enabled = false, disabled_reason = ?, updated_at = ? where id = ?")) {
                ps.setString(1, reason);
                ps.setTimestamp(2, Timestamp.from(now));
                ps.setObject(3, subscriptionId);
                ps.executeUpdate();
            }
            return new DeliveryLogStore.Recorded(true, reason);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot record endpoint health", e);
        }
    }
}
