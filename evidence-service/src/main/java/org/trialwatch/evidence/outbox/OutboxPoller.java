package org.trialwatch.evidence.outbox;

import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.scheduler.Scheduled;

/**
 * Runs the relay on a timer once the application has started: before that the messaging channels may not be wired,
 * and the relay's emitter could not be created.
 */
@ApplicationScoped
public class OutboxPoller {

    private final OutboxRelay relay;
    private final AtomicBoolean started = new AtomicBoolean();

    public OutboxPoller(OutboxRelay relay) {
        this.relay = relay;
    }

    void onStart(@Observes @Priority(Interceptor.Priority.APPLICATION + 500) StartupEvent event) {
        started.set(true);
    }

    @Scheduled(every = "${evidence.outbox.poll-interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void poll() {
        if (started.get()) {
            relay.drain();
        }
    }
}
