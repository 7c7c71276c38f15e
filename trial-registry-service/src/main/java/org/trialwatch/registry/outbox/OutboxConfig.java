package org.trialwatch.registry.outbox;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

@ConfigMapping(prefix = "trialwatch.outbox")
public interface OutboxConfig {

    /** Whether this instance runs the relay. */
    @WithDefault("true")
    boolean enabled();

    /** Longest wait between two looks at the outbox when no commit wakes the relay. */
    @WithDefault("500ms")
    Duration pollInterval();

    /** Rows published per round trip. */
    @WithDefault("500")
    int batchSize();

    /** How long to wait for the broker to acknowledge a batch before trying again later. */
    @WithDefault("20s")
    Duration sendTimeout();

    /** Pause after a failed batch (broker down), so a dead broker is not hammered. */
    @WithDefault("2s")
    Duration retryBackoff();

    /** Sent rows are kept this long (for audit and replay) before they are deleted. */
    @WithDefault("P7D")
    Duration retention();
}
