package org.trialwatch.evidence.config;

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

    Api api();

    interface Api {
        @WithDefault("50")
        int defaultPageSize();

        @WithDefault("200")
        int maxPageSize();
    }
}
