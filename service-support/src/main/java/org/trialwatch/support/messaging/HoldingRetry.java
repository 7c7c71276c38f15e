package org.trialwatch.support.messaging;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import org.jboss.logging.Logger;

/**
 * Runs one step of a consumer until it succeeds, holding the record (and so its partition, since the consumer
 * processes in order and commits nothing past an unfinished record) for as long as the failure lasts. Poison is not
 * retried: the {@link PoisonRecordException} is rethrown at once for the caller to dead-letter. Every other failure is
 * retried after an exponential, capped backoff; {@link #stop()} ends the wait at once with
 * {@link ConsumerStoppedException}, so that shutdown is not held up by an outage.
 */
public final class HoldingRetry {

    /** The step to run; its {@code attempt} is 1 the first time. */
    @FunctionalInterface
    public interface Step<T> {
        T run(int attempt) throws Exception;
    }

    private static final Logger LOG = Logger.getLogger(HoldingRetry.class);

    private final String channel;
    private final Backoff backoff;
    private final RetryObserver observer;
    private final LongSupplier nanoClock;
    private final CountDownLatch stopped = new CountDownLatch(1);

    public HoldingRetry(String channel, Backoff backoff, RetryObserver observer) {
        this(channel, backoff, observer, System::nanoTime);
    }

    HoldingRetry(String channel, Backoff backoff, RetryObserver observer, LongSupplier nanoClock) {
        this.channel = channel;
        this.backoff = backoff;
        this.observer = observer;
        this.nanoClock = nanoClock;
    }

    public String channel() {
        return channel;
    }

    public <T> T call(Callable<T> step) {
        return call(attempt -> step.call());
    }

    public void run(Runnable step) {
        call(attempt -> {
            step.run();
            return null;
        });
    }

    /**
     * Runs {@code step} until it returns. Throws the {@link PoisonRecordException} the step threw (directly or as a
     * cause), or {@link ConsumerStoppedException} when stopped or interrupted; never anything else.
     */
    public <T> T call(Step<T> step) {
        long firstFailure = 0;
        for (int attempt = 1; ; attempt++) {
            if (isStopped()) {
                throw new ConsumerStoppedException(channel, null);
            }
            try {
                T result = step.run(attempt);
                if (attempt > 1) {
                    observer.recovered(channel, attempt - 1, Duration.ofNanos(nanoClock.getAsLong() - firstFailure));
                }
                return result;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ConsumerStoppedException(channel, e);
            } catch (Exception e) {
                FailureKind kind = FailureClassifier.classify(e);
                if (kind == FailureKind.POISON) {
                    if (attempt > 1) {
                        observer.recovered(channel, attempt - 1, Duration.ofNanos(nanoClock.getAsLong() - firstFailure));
                    }
                    throw FailureClassifier.poisonIn(e);
                }
                if (attempt == 1) {
                    firstFailure = nanoClock.getAsLong();
                }
                Duration delay = backoff.delay(attempt);
                observer.retrying(channel, attempt, kind, e, delay);
                if (kind == FailureKind.UNCLASSIFIED && attempt == 1) {
                    LOG.errorf(e, "%s: unexpected failure, holding the record and retrying every %s at most", channel,
                            backoff.max());
                } else if (attempt == 1 || Integer.bitCount(attempt) == 1) {
                    LOG.warnf("%s: %s failure (attempt %d), holding the record, next try in %d ms: %s", channel,
                            kind.name().toLowerCase(java.util.Locale.ROOT), attempt, delay.toMillis(), e);
                }
                pause(delay, e);
            }
        }
    }

    /** Ends every current and future wait; the retried step is not run again. */
    public void stop() {
        stopped.countDown();
    }

    public boolean isStopped() {
        return stopped.getCount() == 0;
    }

    private void pause(Duration delay, Exception lastFailure) {
        try {
            if (stopped.await(delay.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new ConsumerStoppedException(channel, lastFailure);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ConsumerStoppedException(channel, lastFailure);
        }
    }
}
