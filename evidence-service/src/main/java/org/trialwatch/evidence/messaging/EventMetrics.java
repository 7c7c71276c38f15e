package org.trialwatch.evidence.messaging;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The consumer's counters (the outbox's are service-support's trialwatch_outbox_*), exported at {@code /q/metrics}. Consumer lag comes from the Kafka client's
 * own metrics ({@code kafka_consumer_fetch_manager_records_lag_max}).
 */
@ApplicationScoped
public class EventMetrics {

    private final MeterRegistry registry;
    private final Counter duplicates;
    private final Counter stale;
    private final Counter gaps;

    public EventMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.duplicates = Counter.builder("evidence.events.duplicates")
                .description("trial events ignored because their ce_id was processed before").register(registry);
        this.stale = Counter.builder("evidence.events.stale")
                .description("trial events ignored because their sequence was at or below the last applied").register(registry);
        this.gaps = Counter.builder("evidence.events.gaps")
                .description("trial events applied after a jump in their trial's sequence").register(registry);
        // Registered up front so that a dashboard sees zeros, not missing series, before the first dead letter.
        for (String category : new String[] {"malformed", "unknown-type", "schema-invalid", "missing-header", "unappliable"}) {
            registry.counter("evidence.events.dead_lettered", "reason", category);
        }
    }

    public void processed(String type, String outcome) {
        registry.counter("evidence.events.processed", "type", type, "outcome", outcome).increment();
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
