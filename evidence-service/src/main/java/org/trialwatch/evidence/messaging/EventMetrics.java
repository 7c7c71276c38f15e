package org.trialwatch.evidence.messaging;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * The consumer's counters and timers (the outbox's are service-support's trialwatch_outbox_*), exported at
 * {@code /q/metrics}. Consumer lag in records comes from the Kafka client's own metrics
 * ({@code kafka_consumer_fetch_manager_records_lag_max}); lag in time is {@code evidence_events_age_seconds}: from the
 * moment a trial event was produced to {@code trial-events} (the record's timestamp) to the commit that applied it,
 * with buckets at the latencies a summary is expected within. {@code evidence_consumer_transaction_seconds} is the time
 * of one transaction of a poll's events, commit included: with the age, it tells a consumer that works from one that
 * waits.
 */
@ApplicationScoped
public class EventMetrics {

    private final MeterRegistry registry;
    private final Counter duplicates;
    private final Counter stale;
    private final Counter gaps;
    private final Timer transaction;
    private final Timer age;

    public EventMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.duplicates = Counter.builder("evidence.events.duplicates")
                .description("trial events ignored because their ce_id was processed before").register(registry);
        this.stale = Counter.builder("evidence.events.stale")
                .description("trial events ignored because their sequence was at or below the last applied").register(registry);
        this.gaps = Counter.builder("evidence.events.gaps")
                .description("trial events applied after a jump in their trial's sequence").register(registry);
        this.transaction = Timer.builder("evidence.consumer.transaction")
                .description("applying one transaction's trial events (at most max-records-per-transaction), commit included")
                .register(registry);
        this.age = Timer.builder("evidence.events.age")
                .description("from a trial event's record timestamp on trial-events to the commit that applied it")
                .serviceLevelObjectives(Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
                        Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(30))
                .register(registry);
        // Registered up front so that a dashboard sees zeros, not missing series, before the first dead letter.
        for (String category : new String[] {"malformed", "unknown-type", "schema-invalid", "missing-header", "unappliable"}) {
            registry.counter("evidence.events.dead_lettered", "reason", category);
        }
    }

    public void processed(String type, String outcome) {
        registry.counter("evidence.events.processed", "type", type, "outcome", outcome).increment();
    }

    public Timer transaction() {
        return transaction;
    }

    /**
     * A record applied (or found to be a duplicate or stale) and committed now, produced at {@code producedAtMillis}
     * (its Kafka timestamp; a record without one, -1, is not timed).
     */
    public void committed(long producedAtMillis) {
        if (producedAtMillis >= 0) {
            age.record(Math.max(0, System.currentTimeMillis() - producedAtMillis), TimeUnit.MILLISECONDS);
        }
    }

    public void duplicate() {
        duplicates.increment();
    }

    public void stale() {
        stale.increment();
    }

    public void gap() {
        gaps.increment();
    }

    public void deadLettered(String category) {
        registry.counter("evidence.events.dead_lettered", "reason", category).increment();
    }

}
