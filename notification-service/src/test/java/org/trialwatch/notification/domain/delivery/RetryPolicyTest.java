package org.trialwatch.notification.domain.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;

class RetryPolicyTest {

    private static final List<Duration> DEFAULT = List.of(Duration.ofSeconds(5), Duration.ofMinutes(5),
            Duration.ofMinutes(30), Duration.ofHours(2), Duration.ofHours(5), Duration.ofHours(8), Duration.ofHours(8));

    private static AttemptResult status(int code) {
        return new AttemptResult(code, null, null, 10);
    }

    @Test
    void defaultScheduleMakesEightAttemptsOverAboutADay() {
        RetryPolicy policy = new RetryPolicy(DEFAULT, 0.2, Duration.ofHours(24), () -> 0.5);
        assertThat(policy.maxAttempts()).isEqualTo(8);
        assertThat(policy.span()).isBetween(Duration.ofHours(23), Duration.ofHours(25));
    }

    @Test
    void successIsDelivered() {
        RetryPolicy policy = new RetryPolicy(DEFAULT, 0, Duration.ofHours(24), () -> 0);
        assertThat(policy.decide(1, status(204))).isInstanceOf(DeliveryDecision.Delivered.class);
    }

    @Test
    void failuresFollowTheScheduleThenDeadLetter() {
        RetryPolicy policy = new RetryPolicy(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2)), 0,
                Duration.ofHours(1), () -> 0);
        assertThat(policy.decide(1, status(500))).isEqualTo(new DeliveryDecision.RetryLater(Duration.ofSeconds(1)));
        assertThat(policy.decide(2, status(503))).isEqualTo(new DeliveryDecision.RetryLater(Duration.ofSeconds(2)));
        assertThat(policy.decide(3, status(500))).isInstanceOf(DeliveryDecision.DeadLetter.class);
    }

    @Test
    void redirectsAreFailures() {
        RetryPolicy policy = new RetryPolicy(DEFAULT, 0, Duration.ofHours(24), () -> 0);
        assertThat(policy.decide(1, status(301))).isInstanceOf(DeliveryDecision.RetryLater.class);
        assertThat(policy.decide(1, status(307))).isInstanceOf(DeliveryDecision.RetryLater.class);
    }

    @Test
    void goneDisablesTheEndpoint() {
        RetryPolicy policy = new RetryPolicy(DEFAULT, 0, Duration.ofHours(24), () -> 0);
        assertThat(policy.decide(1, status(410))).isInstanceOf(DeliveryDecision.DisableEndpoint.class);
    }

    @Test
    void retryAfterLongerThanTheScheduleIsHonouredUpToTheCap() {
        RetryPolicy policy = new RetryPolicy(DEFAULT, 0, Duration.ofHours(1), () -> 0);
        AttemptResult throttled = new AttemptResult(429, Duration.ofMinutes(2), null, 5);
        assertThat(policy.decide(1, throttled)).isEqualTo(new DeliveryDecision.RetryLater(Duration.ofMinutes(2)));
        AttemptResult greedy = new AttemptResult(503, Duration.ofDays(3), null, 5);
        assertThat(policy.decide(1, greedy)).isEqualTo(new DeliveryDecision.RetryLater(Duration.ofHours(1)));
        AttemptResult shortAsk = new AttemptResult(429, Duration.ofSeconds(1), null, 5);
        assertThat(policy.decide(2, shortAsk)).isEqualTo(new DeliveryDecision.RetryLater(Duration.ofMinutes(5)));
    }

    @Test
    void jitterStaysWithinItsBounds() {
        RetryPolicy low = new RetryPolicy(DEFAULT, 0.2, Duration.ofHours(24), () -> 0.0);
        RetryPolicy high = new RetryPolicy(DEFAULT, 0.2, Duration.ofHours(24), () -> 0.999999);
        assertThat(((DeliveryDecision.RetryLater) low.decide(2, status(500))).delay()).isEqualTo(Duration.ofMinutes(4));
        assertThat(((DeliveryDecision.RetryLater) high.decide(2, status(500))).delay())
                .isBetween(Duration.ofSeconds(359), Duration.ofMinutes(6));
    }

    @Test
    void noResponseIsAFailure() {
        RetryPolicy policy = new RetryPolicy(DEFAULT, 0, Duration.ofHours(24), () -> 0);
        assertThat(policy.decide(1, AttemptResult.noResponse("timed out", 15000)))
                .isEqualTo(new DeliveryDecision.RetryLater(Duration.ofSeconds(5)));
    }
}
