package org.trialwatch.registry.ctgov;

import io.smallrye.faulttolerance.api.CustomBackoffStrategy;

/**
 * SmallRye Fault Tolerance backoff for ClinicalTrials.gov calls: exponential from the {@code @Retry} delay (doubling,
 * capped at 30 s), but never shorter than what a 429/503 asked for in Retry-After. SmallRye makes one instance per
 * invocation, so the attempt count is the invocation's own.
 */
public class RetryAfterBackoff implements CustomBackoffStrategy {

    static final long MAX_EXPONENTIAL_MILLIS = 30_000;
    /** Retry-After values above this are not waited out here: the run records the failure and the next run retries. */
    static volatile long maxRetryAfterMillis = 120_000;

    private long initialDelay;
    private int attempt;

    @Override
    public void init(long initialDelayInMillis) {
        this.initialDelay = Math.max(1, initialDelayInMillis);
    }

    @Override
    public long nextDelayInMillis(Throwable exception) {
        long exponential = Math.min(MAX_EXPONENTIAL_MILLIS, initialDelay << Math.min(attempt, 20));
        attempt++;
        if (exception instanceof CtgovUnavailableException u && u.retryAfter() != null) {
            return Math.max(exponential, Math.min(u.retryAfter().toMillis(), maxRetryAfterMillis));
        }
        return exponential;
    }
}
