package org.trialwatch.evidence.persistence;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.trialwatch.support.outbox.OutboxMessage;
import org.trialwatch.support.outbox.OutboxWriter;

/**
 * The transactional outbox of {@code evidence-events}: rows go to service-support's shared outbox table in the
 * caller's transaction; its relay publishes them ({@link org.trialwatch.evidence.messaging.EvidenceEventsOutbox}).
 */
@ApplicationScoped
public class OutboxStore {

    private final OutboxWriter writer;

    public OutboxStore(OutboxWriter writer) {
        this.writer = writer;
    }

    /** Adds a {@code summary-updated} (or other) event keyed by its group; {@code id} becomes its {@code ce_id}. */
    public void add(UUID id, String groupKey, String eventType, Instant occurredAt, String payload) {
        writer.append(new OutboxMessage(id, groupKey, eventType, occurredAt, payload));
    }

    /**
     * The event as {@link #add} would store it now, with the trace current now (the span of the record that caused
     * it), for {@link #addAll} later in the transaction.
     */
    public OutboxMessage message(UUID id, String groupKey, String eventType, Instant occurredAt, String payload) {
        return writer.traced(new OutboxMessage(id, groupKey, eventType, occurredAt, payload));
    }

    /** Adds events made with {@link #message}, in order, in one statement. */
    public void addAll(List<OutboxMessage> messages) {
        writer.appendAll(messages);
    }
}
