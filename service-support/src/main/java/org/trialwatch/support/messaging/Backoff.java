package org.trialwatch.support.messaging;

import java.time.Duration;

/** Exponential backoff: {@code initial}, doubled after each failed attempt, never more than {@code max}. */
public record Backoff(Duration initial, Duration max) {

    public Backoff {
        if (initial.isNegative() || initial.isZero()) {
            throw new IllegalArgumentException("initial backoff must be positive, was " + initial);
        }
        if (max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("max backoff " + max + " is below the initial " + initial);
        }
    }

    /** The pause after failed attempt number {@code attempt} (1 for the first failure). */
    public Duration delay(int attempt) {
        int doublings = Math.max(0, Math.min(attempt - 1, 62));
        long maxMillis = max.toMillis();
        long millis = initial.toMillis();
        for (int i = 0; i < doublings && millis < maxMillis; i++) {
            millis *= 2;
        }
        return Duration.ofMillis(Math.min(millis, maxMillis));
    }
}
