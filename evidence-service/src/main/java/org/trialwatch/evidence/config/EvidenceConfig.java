package org.trialwatch.evidence.config;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of the evidence service ({@code evidence.*}, or {@code EVIDENCE_*} environment variables). */
@ConfigMapping(prefix = "evidence")
public interface EvidenceConfig {

    /** CloudEvents {@code ce_source} of what this service publishes. */
    @WithDefault("/evidence-service")
    String source();

    /** A study with fewer patients than this is flagged small-n. */
    @WithDefault("50")
    int smallN();

    Outbox outbox();

    Api api();

    interface Outbox {
        /** How often the relay looks for unsent rows. */
        @WithDefault("1s")
        Duration pollInterval();

        /** Rows published per relay transaction. */
        @WithDefault("100")
        int batchSize();

        /** How long the relay waits for the broker's acks of one batch. */
        @WithDefault("10s")
        Duration sendTimeout();
    }

    interface Api {
        @WithDefault("50")
        int defaultPageSize();

        @WithDefault("200")
        int maxPageSize();
    }
}
