package org.trialwatch.support.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class HoldingRetryTest {

    private final List<String> seen = new ArrayList<>();
    private final RetryObserver observer = new RetryObserver() {
        @Override
        public void retrying(String channel, int attempt, FailureKind kind, Throwable failure, Duration nextDelay) {
            seen.add("retry " + attempt + " " + kind + " " + nextDelay.toMillis());
        }

        @Override
        public void recovered(String channel, int failedAttempts, Duration heldFor) {
            seen.add("recovered after " + failedAttempts);
        }
    };
    private final HoldingRetry retry = new HoldingRetry("trial-events",
            new Backoff(Duration.ofMillis(1), Duration.ofMillis(4)), observer);

    @Test
    void retriesATransientFailureWithGrowingPausesUntilItSucceeds() {
        AtomicInteger calls = new AtomicInteger();
        String result = retry.call(attempt -> {
            if (calls.incrementAndGet() < 5) {
                throw new IllegalStateException("store failed", new SQLException("connection refused", "08001"));
            }
            return "applied on attempt " + attempt;
        });
        assertThat(result).isEqualTo("applied on attempt 5");
        assertThat(seen).containsExactly("retry 1 TRANSIENT 1", "retry 2 TRANSIENT 2", "retry 3 TRANSIENT 4",
                "retry 4 TRANSIENT 4", "recovered after 4");
    }

    @Test
    void anUnclassifiedFailureIsRetriedTooRatherThanDropped() {
        AtomicInteger calls = new AtomicInteger();
        retry.run(() -> {
            if (calls.incrementAndGet() == 1) {
                throw new NullPointerException();
            }
        });
        assertThat(seen).containsExactly("retry 1 UNCLASSIFIED 1", "recovered after 1");
    }

    @Test
    void poisonIsRethrownAtOnceWithoutRetry() {
        PoisonRecordException poison = new PoisonRecordException("schema-invalid", "newStatus");
        AtomicInteger calls = new AtomicInteger();
        assertThatThrownBy(() -> retry.run(() -> {
            calls.incrementAndGet();
            throw new RuntimeException(poison);
        })).isSameAs(poison);
        assertThat(calls).hasValue(1);
        assertThat(seen).isEmpty();
    }

    @Test
    void stopEndsAWaitInProgressWithoutRunningTheStepAgain() throws Exception {
        HoldingRetry slow = new HoldingRetry("evidence-events", new Backoff(Duration.ofHours(1), Duration.ofHours(1)),
                observer);
        AtomicInteger calls = new AtomicInteger();
        CompletableFuture<Throwable> outcome = CompletableFuture.supplyAsync(() -> {
            try {
                slow.run(() -> {
                    calls.incrementAndGet();
                    throw new IllegalStateException(new SQLException("gone", "08006"));
                });
                return null;
            } catch (RuntimeException e) {
                return e;
            }
        });
        while (calls.get() == 0) {
            Thread.onSpinWait();
        }
        slow.stop();
        assertThat(outcome.get(10, TimeUnit.SECONDS)).isInstanceOf(ConsumerStoppedException.class)
                .hasRootCauseInstanceOf(SQLException.class);
        assertThat(calls).hasValue(1);
    }

    @Test
    void anInterruptedConsumerStopsRetrying() {
        Thread.currentThread().interrupt();
        try {
            assertThatThrownBy(() -> retry.run(() -> {
                throw new IllegalStateException(new SQLException("gone", "08006"));
            })).isInstanceOf(ConsumerStoppedException.class);
        } finally {
            Thread.interrupted();
        }
    }
}
