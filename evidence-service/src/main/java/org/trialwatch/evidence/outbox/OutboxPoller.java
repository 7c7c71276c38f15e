package org.trialwatch.evidence.outbox;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

import org.trialwatch.evidence.config.EvidenceConfig;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import org.trialwatch.support.outbox.OutboxSignal;
import org.trialwatch.support.outbox.RelayLoop;

/**
 * Runs the relay on a thread of its own once the application has started (before that the messaging channels may not
 * be wired, and the relay's emitter could not be created): it drains the outbox whenever a transaction that wrote to
 * it commits ({@link OutboxSignal}), and at the latest every {@code evidence.outbox.poll-interval}.
 */
@ApplicationScoped
public class OutboxPoller {

    private final OutboxRelay relay;
    private final OutboxSignal signal;
    private final EvidenceConfig config;
    private RelayLoop loop;

    public OutboxPoller(OutboxRelay relay, OutboxSignal signal, EvidenceConfig config) {
        this.relay = relay;
        this.signal = signal;
        this.config = config;
    }

    void onStart(@Observes @Priority(Interceptor.Priority.APPLICATION + 500) StartupEvent event) {
        // drain() empties the outbox in one round, so every round is followed by a wait for the next commit
        loop = new RelayLoop("evidence-outbox-relay", relay::drain, signal, config.outbox().pollInterval(),
                config.outbox().pollInterval(), Integer.MAX_VALUE);
        loop.start();
    }

    void onStop(@Observes ShutdownEvent event) {
        if (loop != null) {
            loop.stop();
        }
    }
}
