package org.trialwatch.evidence.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Settings of the evidence service, under the {@code trialwatch.*} prefix every service uses (environment variables
 * {@code TRIALWATCH_*}, e.g. {@code TRIALWATCH_SUMMARY_SMALL_N}). The outbox's and the consumer's settings are
 * service-support's ({@code trialwatch.outbox.*}, {@code trialwatch.consumer.*}), not mapped here.
 */
@ConfigMapping(prefix = "trialwatch")
public interface EvidenceConfig {

    Events events();

    Summary summary();

    Api api();

    interface Events {
        /** CloudEvents {@code ce_source} of what this service publishes (the registry's key of the same name). */
        @WithDefault("/evidence-service")
        String source();
    }

    interface Summary {
        /** A study with fewer patients than this is flagged small-n. */
        @WithDefault("50")
        int smallN();
    }

    interface Api {
        @WithDefault("50")
        int defaultPageSize();

        @WithDefault("200")
        int maxPageSize();
    }
}
