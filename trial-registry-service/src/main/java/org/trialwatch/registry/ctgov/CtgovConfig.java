package org.trialwatch.registry.ctgov;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The ClinicalTrials.gov sync. Without {@code base-url} (TRIALWATCH_CTGOV_BASE_URL) it is off. */
@ConfigMapping(prefix = "trialwatch.ctgov")
public interface CtgovConfig {

    /** e.g. https://clinicaltrials.gov; unset: no sync runs and POST /api/trials registers given fields only. */
    Optional<String> baseUrl();

    /** Time between scheduled runs (read by the scheduler; "off" disables the schedule, runs can still be triggered). */
    @WithDefault("6h")
    String interval();

    /** Wait after start-up before the first scheduled run. */
    @WithDefault("1m")
    String firstRunDelay();

    /** NCT ids per {@code filter.ids} request (the URL stays short; the API allows pageSize up to 1000). */
    @WithDefault("100")
    int batchSize();

    /** Studies per page. */
    @WithDefault("100")
    int pageSize();

    /** Connect and read timeout of one request. */
    @WithDefault("30s")
    Duration requestTimeout();

    /**
     * Least time between two requests. The API publishes no official limit; about 50 requests a minute per IP is
     * reported, so the default keeps well under it.
     */
    @WithDefault("1500ms")
    Duration minRequestSpacing();

    /** Longest Retry-After the client honours before giving up on a request. */
    @WithDefault("120s")
    Duration maxRetryAfter();

    /** A RUNNING run older than this is taken as abandoned (its replica died) so a new run may start. */
    @WithDefault("2h")
    Duration staleRunAfter();

    default boolean enabled() {
        return baseUrl().filter(u -> !u.isBlank()).isPresent();
    }
}
