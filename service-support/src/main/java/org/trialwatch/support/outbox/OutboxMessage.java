package org.trialwatch.support.outbox;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * One event to publish. It becomes a binary-mode CloudEvent: {@code ce_id} = {@code eventId} (stable across
 * re-sends, so consumers can deduplicate), {@code ce_type} = {@code eventType}, {@code ce_subject} and the record key =
 * {@code aggregateId}, {@code ce_time} = {@code occurredAt}, the value = {@code payload} (JSON).
 */
public record OutboxMessage(UUID eventId, String aggregateId, String eventType, Instant occurredAt, String payload) {

    public OutboxMessage {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(aggregateId, "aggregateId");
        Objects.requireNonNull(eventType, "eventType");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(payload, "payload");
    }
}
