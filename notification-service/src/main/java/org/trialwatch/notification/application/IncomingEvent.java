package org.trialwatch.notification.application;

import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A CloudEvent read from Kafka that passed the contract checks; {@code traceparent} (W3C, null when tracing is off) is
 * the trace its notifications' webhook attempts join. {@code decoded} is the payload as the contract's record (a
 * {@code TrialEvent} or an {@code EvidenceSummaryUpdated}), which the check already read: intake uses it rather than
 * reading the payload a second time.
 */
public record IncomingEvent(String topic, String id, String type, String subject, Instant time, JsonNode payload,
                            String traceparent, Object decoded) {

    public IncomingEvent withTraceparent(String value) {
        return new IncomingEvent(topic, id, type, subject, time, payload, value, decoded);
    }
}
