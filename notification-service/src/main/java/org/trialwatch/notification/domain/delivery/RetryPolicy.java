package org.trialwatch.notification.domain.delivery;

import java.time.Duration;
import java.util.List;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with jitter over a configured schedule. The schedule lists the delays before attempts 2, 3, …;
 * after the last one the notification is dead-lettered. A receiver's Retry-After (sent with 429 or 503, say) is
 * honoured when it asks for longer than the schedule, up to a cap.
 */
public final class RetryPolicy {

    private final List<Duration> schedule;
    private final double jitter;
    private final Duration maxRetryAfter;
    private final DoubleSupplier random;

    /** {@code random} yields values in [0, 1); jitter spreads each delay by up to ±{@code jitter}. */
    public RetryPolicy(List<Duration> schedule, double jitter, Duration maxRetryAfter, DoubleSupplier random) {
        if (jitter < 0 || jitter >= 1) {
            throw new IllegalArgumentException("jitter must be in [0, 1)");
        }
        this.schedule = List.copyOf(schedule);
        this.jitter = jitter;
        this.maxRetryAfter = maxRetryAfter;
        this.random = random;
    }

    public int maxAttempts() {
        return schedule.size() + 1;
    }

    /** The decision after attempt number {@code attempt} (1-based) ended with {@code result}. */
    public DeliveryDecision decide(int attempt, AttemptResult result) {
        if (result.succeeded()) {
            return new DeliveryDecision.Delivered();
        }
        if (result.gone()) {
            return new DeliveryDecision.DisableEndpoint("endpoint answered 410 Gone");
        }
        if (attempt >= maxAttempts()) {
            return new DeliveryDecision.DeadLetter("gave up after " + attempt + " attempts: " + describe(result));
        }
        Duration delay = jittered(schedule.get(attempt - 1));
        if (result.retryAfter() != null && result.retryAfter().compareTo(delay) > 0) {
            delay = result.retryAfter().compareTo(maxRetryAfter) > 0 ? maxRetryAfter : result.retryAfter();
        }
        return new DeliveryDecision.RetryLater(delay);
    }

    /** The total span from the first attempt to the last, without jitter. */
    public Duration span() {
        return schedule.stream().reduce(Duration.ZERO, Duration::plus);
    }

    private Duration jittered(Duration base) {
        if (jitter == 0) {
            return base;
        }
        double factor = 1 + jitter * (2 * random.getAsDouble() - 1);
        return Duration.ofMillis(Math.round(base.toMillis() * factor));
    }

    public static String describe(AttemptResult result) {
        if (result.statusCode() != null) {
            return "HTTP " + result.statusCode();
        }
        return result.error() == null ? "no response" : result.error();
    }
}
