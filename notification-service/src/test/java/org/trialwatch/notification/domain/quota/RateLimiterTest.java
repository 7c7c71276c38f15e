package org.trialwatch.notification.domain.quota;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class RateLimiterTest {

    private final AtomicLong clock = new AtomicLong(1_000_000_000L);

    @Test
    void aFullBucketServesItsCapacityThenSaysHowLongToWait() {
        RateLimiter limiter = new RateLimiter(3, Duration.ofMinutes(1), clock::get);
        for (int i = 0; i < 3; i++) {
            assertThat(limiter.take("team-a").allowed()).isTrue();
        }
        RateLimiter.Decision refused = limiter.take("team-a");
        assertThat(refused.allowed()).isFalse();
        assertThat(refused.retryAfter()).isEqualTo(Duration.ofSeconds(20));
        clock.addAndGet(Duration.ofSeconds(5).toNanos());
        assertThat(limiter.take("team-a").retryAfter()).isEqualTo(Duration.ofSeconds(15));
    }

    @Test
    void tokensComeBackOverThePeriodAndKeysAreApart() {
        RateLimiter limiter = new RateLimiter(2, Duration.ofMinutes(1), clock::get);
        limiter.take("a");
        limiter.take("a");
        assertThat(limiter.take("a").allowed()).isFalse();
        assertThat(limiter.take("b").allowed()).isTrue();
        clock.addAndGet(Duration.ofSeconds(30).toNanos());
        assertThat(limiter.take("a").allowed()).isTrue();
        assertThat(limiter.take("a").allowed()).isFalse();
        clock.addAndGet(Duration.ofHours(1).toNanos());
        assertThat(limiter.take("a").allowed()).isTrue();
        assertThat(limiter.take("a").allowed()).isTrue();
        assertThat(limiter.take("a").allowed()).isFalse();
    }

    @Test
    void aRefusalByTheSecondLimitLeavesTheFirstUntouched() {
        RateLimiter perTeam = new RateLimiter(5, Duration.ofMinutes(1), clock::get);
        RateLimiter perSubscription = new RateLimiter(1, Duration.ofMinutes(1), clock::get);
        assertThat(RateLimiter.takeAll(perTeam, "t", perSubscription, "s").allowed()).isTrue();
        for (int i = 0; i < 10; i++) {
            assertThat(RateLimiter.takeAll(perTeam, "t", perSubscription, "s").allowed()).isFalse();
        }
        for (int i = 0; i < 4; i++) {
            assertThat(RateLimiter.takeAll(perTeam, "t", perSubscription, "other-" + i).allowed()).isTrue();
        }
        assertThat(RateLimiter.takeAll(perTeam, "t", perSubscription, "another").allowed()).isFalse();
    }
}
