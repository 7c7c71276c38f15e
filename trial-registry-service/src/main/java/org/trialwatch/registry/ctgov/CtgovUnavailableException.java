package org.trialwatch.registry.ctgov;

import java.time.Duration;

/** ClinicalTrials.gov did not answer usefully (429, 5xx, timeout, network): worth retrying, later. */
public class CtgovUnavailableException extends RuntimeException {

    private final Duration retryAfter;

    public CtgovUnavailableException(String message, Duration retryAfter, Throwable cause) {
        super(message, cause);
        this.retryAfter = retryAfter;
    }

    /** How long the API asked us to wait (429/503 Retry-After), or null. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
