package org.trialwatch.notification.application;

import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A CloudEvent read from Kafka that passed the contract checks; {@code traceparent} (W3C, null when tracing is off) is
 * the trace its notifications' webhook attempts join.
 */
public record IncomingEvent(String topic, String id, String type, String subject, Instant time, JsonNode payload,
                            String traceparent) {

    public IncomingEvent withTraceparent(String value) {
        return new IncomingEvent(topic, id, type, subject, time, payload, value);
    }
}
