package org.trialwatch.evidence.outbox;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

import org.jboss.logging.Logger;
import org.trialwatch.evidence.config.EvidenceConfig;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import org.trialwatch.support.outbox.OutboxSignal;

/**
 * Runs the relay on a thread of its own once the application has started (before that the messaging channels may not
 * be wired, and the relay's emitter could not be created): it drains the outbox whenever a transaction that wrote to
 * it commits ({@link OutboxSignal}), and at the latest every {@code evidence.outbox.poll-interval}.
 */
@ApplicationScoped
public class OutboxPoller {

    private static final Logger LOG = Logger.getLogger(OutboxPoller.class);

    private final OutboxRelay relay;
    private final OutboxSignal signal;
    private final EvidenceConfig config;
    private volatile boolean running;
    private Thread worker;

    public OutboxPoller(OutboxRelay relay, OutboxSignal signal, EvidenceConfig config) {
        this.relay = relay;
        this.signal = signal;
        this.config = config;
    }

    void onStart(@Observes @Priority(Interceptor.Priority.APPLICATION + 500) StartupEvent event) {
        running = true;
        worker = new Thread(this::loop, "evidence-outbox-relay");
        worker.setDaemon(true);
        worker.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        running = false;
        if (worker != null) {
            worker.interrupt();
        }
    }

    private void loop() {
        while (running) {
            try {
                if (relay.drain() < 0) {
                    // The broker refused or did not answer: retry after a poll interval, not at every commit.
                    Thread.sleep(config.outbox().pollInterval().toMillis());
                }
                signal.awaitWork(config.outbox().pollInterval().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.warnf("outbox relay round failed, will retry: %s", e.toString());
                try {
                    signal.awaitWork(config.outbox().pollInterval().toMillis());
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
