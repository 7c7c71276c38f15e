package org.trialwatch.notification.application;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.scheduler.Scheduled;

import org.trialwatch.notification.config.NotificationSettings;
import org.trialwatch.notification.persistence.NotificationStore;

/**
 * Purges delivered notifications (with their attempt logs) after the delivered retention, and dead-lettered ones
 * after the longer dead-letter retention; pending ones are never purged. Deletes in batches, oldest first, through
 * partial indexes on the delivered and dead-lettered times, so each run is short whatever the table's size.
 */
@ApplicationScoped
public class DeliveryRetention {

    private static final Logger LOG = Logger.getLogger(DeliveryRetention.class);

    private final NotificationStore notifications;
    private final NotificationSettings settings;

    public DeliveryRetention(NotificationStore notifications, NotificationSettings settings) {
        this.notifications = notifications;
        this.settings = settings;
    }

    @Scheduled(every = "${trialwatch.delivery.purge-interval:1h}", delayed = "10s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void purge() {
        NotificationSettings.Delivery delivery = settings.delivery();
        Instant now = Instant.now();
        Instant deliveredBefore = now.minus(delivery.deliveredRetention());
        Instant deadBefore = now.minus(delivery.deadLetterRetention());
        int total = 0;
        try {
            int removed;
            do {
                removed = notifications.purge(deliveredBefore, deadBefore, delivery.purgeBatch());
                total += removed;
            } while (removed > 0);
        } catch (RuntimeException e) {
            LOG.warnf(e, "notification purge stopped after %d rows; the next run goes on", total);
        }
        if (total > 0) {
            LOG.infof("purged %d notifications past their retention", total);
        }
    }
}
