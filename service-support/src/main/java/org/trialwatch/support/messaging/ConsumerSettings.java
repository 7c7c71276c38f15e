package org.trialwatch.support.messaging;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * How the Kafka consumers of a service ride out failures ({@code trialwatch.consumer.*}, or
 * {@code TRIALWATCH_CONSUMER_*} environment variables).
 */
@ConfigMapping(prefix = "trialwatch.consumer")
public interface ConsumerSettings {

    /** The pause after the first failed attempt at a record; doubled after each further failure. */
    @WithDefault("100ms")
    Duration retryInitialBackoff();

    /** The longest pause between two attempts, however long the outage lasts. */
    @WithDefault("10s")
    Duration retryMaxBackoff();

    /** Records taken in one database transaction by a batch consumer. */
    @WithDefault("50")
    int maxRecordsPerTransaction();

    /**
     * Time limit of a batch consumer's transaction. A record retried alone gets twice as long after each timeout, up
     * to {@link #maxTransactionTimeout()}, so that an unusually large fan-out completes instead of timing out for ever.
     */
    @WithDefault("60s")
    Duration transactionTimeout();

    @WithDefault("10m")
    Duration maxTransactionTimeout();

    /** How long processed-event ids are kept for deduplication of redeliveries; older rows are purged. */
    @WithDefault("30d")
    Duration processedEventRetention();

    /** How often the purge of expired processed-event ids runs. */
    @WithDefault("1h")
    Duration processedEventPurgeInterval();

    default Backoff backoff() {
        return new Backoff(retryInitialBackoff(), retryMaxBackoff());
    }
}
