package org.trialwatch.support.outbox;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The outbox's meters at {@code /q/metrics}, tagged with the topic, and the last figures the health check shows.
 * Alert on {@code trialwatch_outbox_oldest_unsent_age_seconds} (lag), {@code trialwatch_outbox_parked} (&gt; 0 needs an
 * operator), {@code trialwatch_outbox_broker_reachable} (0) and {@code trialwatch_outbox_relay_errors_total}.
 */
@ApplicationScoped
public class OutboxMetrics {

    private final Counter published;
    private final Counter roundFailures;
    private final Counter recordFailures;
    private final Counter relayErrors;
    private final Counter purged;
    private final Timer roundTimer;
    private final AtomicLong unsent = new AtomicLong();
    private final AtomicLong parked = new AtomicLong();
    private final AtomicLong oldestUnsentEpochMillis = new AtomicLong();
    private final AtomicLong brokerReachable = new AtomicLong(1);
    private volatile Instant refreshedAt;
    private final MeterRegistry registry;
    private final List<Gauge> gauges;

    public OutboxMetrics(MeterRegistry registry, OutboxDestination destination) {
        this.registry = registry;
        Tags tags = Tags.of("topic", destination.topic());
        published = Counter.builder("trialwatch_outbox_published_total").tags(tags)
                .description("Outbox events acknowledged by Kafka").register(registry);
        roundFailures = Counter.builder("trialwatch_outbox_publish_failures_total").tags(tags)
                .description("Relay rounds the broker did not fully acknowledge in time (broker away or slow)").register(registry);
        recordFailures = Counter.builder("trialwatch_outbox_send_failures_total").tags(tags)
                .description("Sends of one outbox row that failed for a reason of the row's own (e.g. too large)").register(registry);
        relayErrors = Counter.builder("trialwatch_outbox_relay_errors_total").tags(tags)
                .description("Relay rounds that threw (database away, a bug, an Error); the relay keeps going").register(registry);
        purged = Counter.builder("trialwatch_outbox_purged_total").tags(tags)
                .description("Sent outbox rows deleted after their retention").register(registry);
        roundTimer = Timer.builder("trialwatch_outbox_batch_seconds").tags(tags)
                .description("Time to publish one outbox batch").register(registry);
        gauges = List.of(
                Gauge.builder("trialwatch_outbox_backlog", unsent, AtomicLong::get).tags(tags)
                        .description("Outbox rows not yet published (parked rows not included)").register(registry),
                Gauge.builder("trialwatch_outbox_parked", parked, AtomicLong::get).tags(tags)
                        .description("Outbox rows parked, waiting for an operator").register(registry),
                Gauge.builder("trialwatch_outbox_oldest_unsent_age_seconds", this, OutboxMetrics::oldestUnsentAgeSeconds)
                        .tags(tags).description("Age of the oldest unpublished outbox row, parked included (0 when none)")
                        .register(registry),
                Gauge.builder("trialwatch_outbox_broker_reachable", brokerReachable, AtomicLong::get).tags(tags)
                        .description("1 when the broker answered the last check, else 0").register(registry));
    }

    /**
     * A gauge holds its state object weakly, and the registry Quarkus injects (the global composite) outlives one
     * application in the same JVM: without this, an application started after this one (a test with other resources
     * or another profile) got back these gauges, bound to this instance's dead fields, and read NaN once they were
     * collected.
     */
    @PreDestroy
    void unregister() {
        gauges.forEach(registry::remove);
    }

    void published(int rows) {
        published.increment(rows);
    }

    double publishedCount() {
        return published.count();
    }

    void roundFailed() {
        roundFailures.increment();
    }

    void recordFailed() {
        recordFailures.increment();
    }

    void relayError() {
        relayErrors.increment();
    }

    void purged(int rows) {
        purged.increment(rows);
    }

    void roundTook(Duration d) {
        roundTimer.record(d);
    }

    void refreshed(OutboxRows.Stats stats, Instant at) {
        unsent.set(stats.unsent());
        parked.set(stats.parked());
        oldestUnsentEpochMillis.set(stats.oldestUnsent() == null ? 0 : stats.oldestUnsent().toEpochMilli());
        refreshedAt = at;
    }

    void brokerReachable(boolean reachable) {
        brokerReachable.set(reachable ? 1 : 0);
    }

    public long unsent() {
        return unsent.get();
    }

    public long parkedRows() {
        return parked.get();
    }

    public boolean brokerReachable() {
        return brokerReachable.get() == 1;
    }

    public Instant refreshedAt() {
        return refreshedAt;
    }

    public double oldestUnsentAgeSeconds() {
        long oldest = oldestUnsentEpochMillis.get();
        return oldest == 0 ? 0 : Math.max(0, (System.currentTimeMillis() - oldest) / 1000.0);
    }
}
