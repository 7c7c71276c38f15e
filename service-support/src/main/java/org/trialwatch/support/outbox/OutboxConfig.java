package org.trialwatch.support.outbox;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The outbox's settings, the same in every service ({@code trialwatch.outbox.*}, or {@code TRIALWATCH_OUTBOX_*}
 * environment variables).
 */
@ConfigMapping(prefix = "trialwatch.outbox")
public interface OutboxConfig {

    /** Whether this instance runs the relay (the writer always works; another replica may publish). */
    @WithDefault("true")
    boolean enabled();

    /** Longest wait between two looks at the outbox when no commit wakes the relay. */
    @WithDefault("500ms")
    Duration pollInterval();

    /** Rows published per round. */
    @WithDefault("500")
    int batchSize();

    /**
     * How long one round waits for the broker's acknowledgements. Sends still unacknowledged then stay in the
     * producer (which never gives up on them) and are waited for again next round, never sent a second time.
     */
    @WithDefault("20s")
    Duration sendTimeout();

    /** Pause after a round the broker did not acknowledge, so that a dead broker is not hammered. */
    @WithDefault("2s")
    Duration retryBackoff();

    /**
     * A row whose send fails this many times for a reason of its own (e.g. larger than the broker accepts) is
     * parked: set aside with its reason until an operator retries it, so it no longer holds up other keys' rows.
     */
    @WithDefault("5")
    int maxAttempts();

    /** Sent rows are kept this long (for audit and replay) before the purge deletes them. */
    @WithDefault("P30D")
    Duration retention();

    /** How often sent rows past their retention are purged. */
    @WithDefault("1h")
    Duration purgeInterval();

    /** How often the backlog gauges and the broker reachability in health are refreshed. */
    @WithDefault("5s")
    Duration statsInterval();
}
