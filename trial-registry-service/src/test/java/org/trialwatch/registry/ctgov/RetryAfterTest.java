package org.trialwatch.registry.ctgov;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class RetryAfterTest {

    private static final Instant NOW = Instant.parse("2026-11-20T10:00:00Z");

    @Test
    void secondsAndHttpDatesAreRead() {
        assertThat(RetryAfter.parse("7", NOW)).isEqualTo(Duration.ofSeconds(7));
        assertThat(RetryAfter.parse("Fri, 20 Nov 2026 10:00:30 GMT", NOW)).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void aPastDateMeansNowAndGarbageMeansNoHeader() {
        assertThat(RetryAfter.parse("Fri, 20 Nov 2026 09:00:00 GMT", NOW)).isEqualTo(Duration.ZERO);
        assertThat(RetryAfter.parse("soon", NOW)).isNull();
        assertThat(RetryAfter.parse(null, NOW)).isNull();
    }

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
