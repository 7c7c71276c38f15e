package org.trialwatch.notification.application;

import java.time.Instant;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;

import org.trialwatch.notification.persistence.DeliveryClaims;

/** The service's own meters, exported at /q/metrics; registered at startup so they show from the first scrape. */
@Startup
@ApplicationScoped
public class NotificationMetrics {

    private final Counter created;
    private final Counter succeeded;
    private final Counter failed;
    private final Counter deadLettered;
    private final Counter eventsRejected;
    private final Counter eventsDuplicate;
    private final Counter webhooksResent;
    private final Timer recordRound;
    private final Timer claimRound;
    private final Timer intakeRound;

    public NotificationMetrics(MeterRegistry registry, DeliveryClaims store) {
        created = registry.counter("trialwatch.notifications.created");
        succeeded = registry.counter("trialwatch.deliveries", "outcome", "succeeded");
        failed = registry.counter("trialwatch.deliveries", "outcome", "failed");
        deadLettered = registry.counter("trialwatch.notifications.dead.lettered");
        eventsRejected = registry.counter("trialwatch.events.rejected");
        eventsDuplicate = registry.counter("trialwatch.events.duplicate");
        // endpoints that close kept connections as they are reused (ADR 0204): many means a server with a short idle
        // timeout or a small cap on idle connections, which costs a new connection per resend
        webhooksResent = Counter.builder("trialwatch.webhooks.resent")
                .description("webhook requests sent again at once: the endpoint closed a kept connection under them")
                .register(registry);
        // where a delivery's time goes between the event and the endpoint: the dispatcher's two database steps per
        // round and the intake's transaction per poll (each includes its commit)
        recordRound = Timer.builder("trialwatch.delivery.round").tag("step", "record")
                .description("logging a round's finished attempts").register(registry);
        claimRound = Timer.builder("trialwatch.delivery.round").tag("step", "claim")
                .description("claiming a round's due notifications").register(registry);
        intakeRound = Timer.builder("trialwatch.intake.transaction")
                .description("taking in one transaction's events: matching, notifications, live stream").register(registry);
        // counted on scrape, through the partial index of due rows
        Gauge.builder("trialwatch.deliveries.due.backlog", store, s -> s.dueBacklog(Instant.now()))
                .description("notifications due for an attempt now").register(registry);
    }

    public Timer recordRound() {
        return recordRound;
    }

    public Timer claimRound() {
        return claimRound;
    }

    public Timer intakeTransaction() {
        return intakeRound;
    }

    public void notificationsCreated(int n) {
        created.increment(n);
    }

    public void deliverySucceeded() {
        succeeded.increment();
    }

    public void deliveryFailed() {
        failed.increment();
    }

    public void deadLettered() {
        deadLettered.increment();
    }

    public void eventRejected() {
        eventsRejected.increment();
    }

    public void webhookResent() {
        webhooksResent.increment();
    }

    public void eventDuplicate() {
        eventsDuplicate.increment();
    }
}
