package org.trialwatch.notification.domain.delivery;

import java.time.Duration;

/**
 * What one delivery attempt came back with: an HTTP status (null when no response arrived), a Retry-After the
 * receiver asked for (null if none), an error text for the log, and how long it took.
 */
public record AttemptResult(Integer statusCode, Duration retryAfter, String error, long latencyMs) {

    public static AttemptResult success(int statusCode, long latencyMs) {
        return new AttemptResult(statusCode, null, null, latencyMs);
    }

    public static AttemptResult noResponse(String error, long latencyMs) {
        return new AttemptResult(null, null, error, latencyMs);
    }

    /** Only 2xx counts: 3xx is a failure because redirects are never followed. */
    public boolean succeeded() {
        return statusCode != null && statusCode >= 200 && statusCode < 300;
    }

    public boolean gone() {
        return statusCode != null && statusCode == 410;
    }
}
