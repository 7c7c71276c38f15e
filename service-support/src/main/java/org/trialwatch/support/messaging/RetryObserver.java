package org.trialwatch.support.messaging;

import java.time.Duration;

/** Told when a consumer starts or keeps holding a record because of a failure, and when it gets past it. */
public interface RetryObserver {

    RetryObserver NONE = new RetryObserver() {
        @Override
        public void retrying(String channel, int attempt, FailureKind kind, Throwable failure, Duration nextDelay) {
        }

        @Override
        public void recovered(String channel, int failedAttempts, Duration heldFor) {
        }
    };

    void retrying(String channel, int attempt, FailureKind kind, Throwable failure, Duration nextDelay);

    void recovered(String channel, int failedAttempts, Duration heldFor);
}
