package org.trialwatch.support.outbox;

import java.time.Duration;

import org.jboss.logging.Logger;

/**
 * Runs an outbox relay's rounds on a thread of its own: a round right after a commit wakes it ({@link OutboxSignal}),
 * at the latest every poll interval, and after a round the broker did not acknowledge, a pause first so that a dead
 * broker is not hammered. A full batch is followed at once by the next round.
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
    private volatile boolean running;
    private Thread worker;

    public RelayLoop(String name, Round round, OutboxSignal signal, Duration pollInterval, Duration retryBackoff,
                     int fullBatch) {
        this.name = name;
        this.round = round;
        this.signal = signal;
        this.pollInterval = pollInterval;
        this.retryBackoff = retryBackoff;
        this.fullBatch = fullBatch;
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
            } catch (RuntimeException e) {
                LOG.warnf("%s: round failed, will retry: %s", name, e.toString());
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
