package org.trialwatch.support.messaging;

import java.sql.SQLException;
import java.time.Instant;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import io.quarkus.scheduler.Scheduled;

/**
 * Keeps {@code processed_event} from growing for ever: ids older than
 * {@code trialwatch.consumer.processed-event-retention} (30 days by default) are deleted on a schedule. Redeliveries
 * come within minutes or hours of the original (a rebalance, a restart, a replayed backlog), far inside that window.
 *
 * <p>For the services with an idempotent consumer (evidence, notification); one without a {@code processed_event}
 * table leaves it out ({@code quarkus.arc.exclude-types}, as the registry does).
 */
@ApplicationScoped
public class ProcessedEventRetention {

    private static final Logger LOG = Logger.getLogger(ProcessedEventRetention.class);
    private static final int BATCH = 5_000;

    private final ProcessedEventPurge purge;
    private final ConsumerSettings settings;

    public ProcessedEventRetention(DataSource dataSource, ConsumerSettings settings) {
        this.purge = new ProcessedEventPurge(dataSource, BATCH);
        this.settings = settings;
    }

    @Scheduled(every = "${trialwatch.consumer.processed-event-purge-interval:1h}", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void purgeExpired() {
        purgeOlderThan(Instant.now().minus(settings.processedEventRetention()));
    }

    /** Deletes processed-event ids recorded before {@code cutoff}; returns how many. */
    public long purgeOlderThan(Instant cutoff) {
        try {
            long deleted = purge.purgeBefore(cutoff);
            if (deleted > 0) {
                LOG.infof("purged %d processed-event ids older than %s", deleted, cutoff);
            }
            return deleted;
        } catch (SQLException e) {
            // the next run catches up; nothing depends on the purge being on time
            LOG.warnf("processed-event purge failed, will run again: %s", e.toString());
            return 0;
        }
    }
}
