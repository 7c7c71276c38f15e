package org.trialwatch.support.outbox;

import java.time.Duration;
import java.util.function.Consumer;

import org.jboss.logging.Logger;

/**
 * Runs an outbox relay's rounds on a thread of its own: a round right after a commit wakes it ({@link OutboxSignal}),
 * at the latest every poll interval, and after a round the broker did not acknowledge, a pause first so that a dead
 * broker is not hammered. A full batch is followed at once by the next round.
 *
 * <p>Nothing a round throws ends the loop, not even an {@link Error} (an {@code OutOfMemoryError} in one round, a
 * {@code LinkageError} from a driver): the thread would otherwise die silently and leave the outbox unpublished while
 * the service looks healthy. It is logged, counted ({@code onFailure}), and the next round follows after a pause.
 */
public final class RelayLoop {

    /** One publishing round: how many rows were published, or a negative number when the broker did not acknowledge. */
    @FunctionalInterface
    public interface Round {
        int publish();
    }

    private static final Logger LOG = Logger.getLogger(RelayLoop.class);

    private final String name;
    private final Round round;
    private final OutboxSignal signal;
    private final Duration pollInterval;
    private final Duration retryBackoff;
    private final int fullBatch;
    private final Consumer<Throwable> onFailure;
    private volatile boolean running;
    private Thread worker;

    public RelayLoop(String name, Round round, OutboxSignal signal, Duration pollInterval, Duration retryBackoff,
                     int fullBatch, Consumer<Throwable> onFailure) {
        this.name = name;
        this.round = round;
        this.signal = signal;
        this.pollInterval = pollInterval;
        this.retryBackoff = retryBackoff;
        this.fullBatch = fullBatch;
        this.onFailure = onFailure;
    }

    public synchronized void start() {
        running = true;
        worker = new Thread(this::loop, name);
        worker.setDaemon(true);
        worker.start();
    }

    public synchronized void stop() {
        running = false;
        if (worker != null) {
            worker.interrupt();
        }
    }

    private void loop() {
        while (running) {
            try {
                int published = round.publish();
                if (published < 0) {
                    Thread.sleep(retryBackoff.toMillis());
                } else if (published < fullBatch) {
                    signal.awaitWork(pollInterval.toMillis());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Throwable e) {
                if (!running) {
                    return;
                }
                LOG.errorf(e, "%s: round failed, will retry", name);
                try {
                    onFailure.accept(e);
                } catch (Throwable ignored) {
                    // counting must never be what stops the relay
                }
                try {
                    Thread.sleep(retryBackoff.toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
