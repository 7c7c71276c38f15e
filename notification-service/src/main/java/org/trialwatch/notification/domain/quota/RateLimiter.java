package org.trialwatch.notification.domain.quota;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Token buckets by key (a team, a subscription): each holds {@code capacity} tokens and gets them all back over
 * {@code period}, one at a time. A request takes a token or is told how long until the next one. Kept in memory per
 * replica: the limits bound what one replica will send on a caller's behalf, which is what protects third parties.
 */
public final class RateLimiter {

    /** Allowed, or refused with the wait until a token is back. */
    public record Decision(boolean allowed, Duration retryAfter) {
    }

    private final int capacity;
    private final long nanosPerToken;
    private final LongSupplier nanoClock;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    public RateLimiter(int capacity, Duration period, LongSupplier nanoClock) {
        if (capacity < 1 || period.isZero() || period.isNegative()) {
            throw new IllegalArgumentException("a rate needs a capacity of at least 1 and a positive period");
        }
        this.capacity = capacity;
        this.nanosPerToken = Math.max(1, period.toNanos() / capacity);
        this.nanoClock = nanoClock;
    }

    public Decision take(String key) {
        Bucket bucket = buckets.computeIfAbsent(key, k -> new Bucket(capacity, nanoClock.getAsLong()));
        synchronized (bucket) {
            long now = nanoClock.getAsLong();
            long refilled = (now - bucket.updated) / nanosPerToken;
            if (refilled > 0) {
                bucket.tokens = (int) Math.min(capacity, bucket.tokens + refilled);
                bucket.updated = bucket.tokens == capacity ? now : bucket.updated + refilled * nanosPerToken;
            }
            if (bucket.tokens > 0) {
                bucket.tokens--;
                return new Decision(true, Duration.ZERO);
            }
            return new Decision(false, Duration.ofNanos(nanosPerToken - (now - bucket.updated)));
        }
    }

    /** Takes a token from every key, or from none: a refusal by any leaves the others untouched. */
    public static Decision takeAll(RateLimiter first, String firstKey, RateLimiter second, String secondKey) {
        Decision a = first.take(firstKey);
        if (!a.allowed()) {
            return a;
        }
        Decision b = second.take(secondKey);
        if (!b.allowed()) {
            first.giveBack(firstKey);
        }
        return b;
    }

    private void giveBack(String key) {
        Bucket bucket = buckets.get(key);
        if (bucket != null) {
            synchronized (bucket) {
                bucket.tokens = Math.min(capacity, bucket.tokens + 1);
            }
        }
    }

    private static final class Bucket {
        int tokens;
        long updated;

        Bucket(int tokens, long updated) {
            this.tokens = tokens;
            this.updated = updated;
        }
    }
}
