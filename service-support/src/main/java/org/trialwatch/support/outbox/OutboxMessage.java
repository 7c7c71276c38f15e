package org.trialwatch.support.outbox;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * One event to publish. It becomes a binary-mode CloudEvent: {@code ce_id} = {@code eventId} (stable across
 * re-sends, so consumers can deduplicate), {@code ce_type} = {@code eventType}, {@code ce_subject} and the record key =
 * {@code aggregateId}, {@code ce_time} = {@code occurredAt}, the value = {@code payload} (JSON). {@code traceparent}
 * (W3C, null when tracing is off) is the trace of the change that wrote the event, sent as the {@code traceparent}
 * header so that consumers continue that trace.
 */
public record OutboxMessage(UUID eventId, String aggregateId, String eventType, Instant occurredAt, String payload,
                            String traceparent) {

    /** An event written outside any trace, or whose trace the writer takes from the current span. */
    public OutboxMessage(UUID eventId, String aggregateId, String eventType, Instant occurredAt, String payload) {
        this(eventId, aggregateId, eventType, occurredAt, payload, null);
    }

    public OutboxMessage {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(aggregateId, "aggregateId");
        Objects.requireNonNull(eventType, "eventType");
        Objects.requireNonNull(occurredAt, "occurredAt");
        Objects.requireNonNull(payload, "payload");
    }

    OutboxMessage withTraceparent(String value) {
        return new OutboxMessage(eventId, aggregateId, eventType, occurredAt, payload, value);
    }
}
