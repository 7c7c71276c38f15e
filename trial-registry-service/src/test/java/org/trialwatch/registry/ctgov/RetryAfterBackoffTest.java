package org.trialwatch.registry.ctgov;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;

/** The header itself is read by service-support's RetryAfter (tested there); this is the backoff that honours it. */
class RetryAfterBackoffTest {

    @Test
    void backoffDoublesAndNeverUndercutsRetryAfter() {
        RetryAfterBackoff backoff = new RetryAfterBackoff();
        backoff.init(100);
        RuntimeException plain = new CtgovUnavailableException("500", null, null);
        assertThat(backoff.nextDelayInMillis(plain)).isEqualTo(100);
        assertThat(backoff.nextDelayInMillis(plain)).isEqualTo(200);
        assertThat(backoff.nextDelayInMillis(new CtgovUnavailableException("429", Duration.ofSeconds(2), null)))
                .isEqualTo(2000);
        for (int i = 0; i < 30; i++) {
            assertThat(backoff.nextDelayInMillis(plain)).isLessThanOrEqualTo(RetryAfterBackoff.MAX_EXPONENTIAL_MILLIS);
        }
    }
}
