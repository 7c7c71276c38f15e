package org.trialwatch.support.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class RelayLoopTest {

    private final OutboxSignal signal = new OutboxSignal(null);

    @Test
    void anErrorInOneRoundIsCountedAndTheLoopKeepsPublishing() throws InterruptedException {
        AtomicInteger rounds = new AtomicInteger();
        CountDownLatch afterTheError = new CountDownLatch(2);
        List<Throwable> counted = new CopyOnWriteArrayList<>();
        RelayLoop loop = new RelayLoop("test-relay", () -> {
            if (rounds.incrementAndGet() == 1) {
                throw new NoClassDefFoundError("a driver class vanished"); // an Error, not an Exception
            }
            afterTheError.countDown();
            return 0;
        }, signal, Duration.ofMillis(10), Duration.ofMillis(10), 100, counted::add);
        loop.start();
        try {
            // generous: a dead loop never counts down, whatever the wait
            assertThat(afterTheError.await(30, TimeUnit.SECONDS)).as("rounds after the Error").isTrue();
            assertThat(counted).singleElement().isInstanceOf(NoClassDefFoundError.class);
        } finally {
            loop.stop();
        }
    }

    @Test
    void aRuntimeExceptionIsCountedToo() throws InterruptedException {
        AtomicInteger rounds = new AtomicInteger();
        CountDownLatch afterTheFailure = new CountDownLatch(1);
        List<Throwable> counted = new CopyOnWriteArrayList<>();
        RelayLoop loop = new RelayLoop("test-relay", () -> {
            if (rounds.incrementAndGet() == 1) {
                throw new IllegalStateException("database away");
            }
            afterTheFailure.countDown();
            return 0;
        }, signal, Duration.ofMillis(10), Duration.ofMillis(10), 100, counted::add);
        loop.start();
        try {
            assertThat(afterTheFailure.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(counted).singleElement().isInstanceOf(IllegalStateException.class);
        } finally {
            loop.stop();
        }
    }
}
