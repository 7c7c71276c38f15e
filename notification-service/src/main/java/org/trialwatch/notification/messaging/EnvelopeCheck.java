package org.trialwatch.notification.messaging;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import org.trialwatch.events.CloudEventHeaders;
import org.trialwatch.support.tracing.TraceParent;
import org.trialwatch.events.EventJson;
import org.trialwatch.events.EventSchemas;
import org.trialwatch.events.EventTypes;
import org.trialwatch.events.EvidenceSummaryUpdated;
import org.trialwatch.events.Topics;
import org.trialwatch.notification.application.IncomingEvent;

/**
 * Checks a Kafka record against the contract (CloudEvents binary-mode headers, a type this topic carries, a payload
 * valid against its JSON Schema). A record that fails is not retried: it goes to the dead-letter topic with the reason.
 */
public final class EnvelopeCheck {

    public sealed interface Outcome {
    }

    public record Accepted(IncomingEvent event) implements Outcome {
    }

    public record Rejected(String reason) implements Outcome {
    }

    private EnvelopeCheck() {
    }

    public static Outcome check(String topic, Map<String, String> headers, byte[] value) {
        String id = headers.get(CloudEventHeaders.ID);
        String type = headers.get(CloudEventHeaders.TYPE);
        if (id == null || id.isBlank()) {
            return new Rejected("missing header " + CloudEventHeaders.ID);
        }
        if (type == null || type.isBlank()) {
            return new Rejected("missing header " + CloudEventHeaders.TYPE);
        }
        List<String> carried = Topics.EVIDENCE_EVENTS.equals(topic)
                ? List.of(EventTypes.EVIDENCE_SUMMARY_UPDATED) : EventTypes.TRIAL_TYPES;
        if (!carried.contains(type)) {
            return new Rejected("type " + type + " is not carried by topic " + topic);
        }
        if (value == null || value.length == 0) {
            return new Rejected("empty payload");
        }
        JsonNode payload;
        try {
            payload = EventJson.mapper().readTree(value);
        } catch (IOException e) {
            return new Rejected("payload is not JSON: " + e.getMessage());
        }
        if (payload == null || !payload.isObject()) {
            return new Rejected("payload is not a JSON object");
        }
        List<String> violations = EventSchemas.violations(type, payload);
        if (!violations.isEmpty()) {
            return new Rejected("payload violates " + EventTypes.shortName(type) + " schema: "
                    + String.join("; ", violations));
        }
        String unreadable = unreadable(type, payload);
        if (unreadable != null) {
            return new Rejected("payload does not read as " + EventTypes.shortName(type) + ": " + unreadable);
        }
        Instant time = null;
        String ceTime = headers.get(CloudEventHeaders.TIME);
        if (ceTime != null) {
            try {
                time = Instant.parse(ceTime);
            } catch (DateTimeParseException e) {
                return new Rejected("header " + CloudEventHeaders.TIME + " is not an RFC 3339 time");
            }
        }
        return new Accepted(new IncomingEvent(topic, id, type, headers.get(CloudEventHeaders.SUBJECT), time, payload,
                headers.get(TraceParent.HEADER)));
    }

    /**
     * Reads the payload as intake will, inside its transaction: as its event record and its {@code occurredAt} as an
     * instant. Whatever fails here would fail there on every retry, so it is rejected now. Null when it reads.
     */
    private static String unreadable(String type, JsonNode payload) {
        try {
            if (EventTypes.EVIDENCE_SUMMARY_UPDATED.equals(type)) {
                EventJson.mapper().treeToValue(payload, EvidenceSummaryUpdated.class);
            } else {
                EventJson.readTrialEvent(type, EventJson.mapper().writeValueAsBytes(payload));
            }
            if (payload.hasNonNull("occurredAt")) {
                Instant.parse(payload.get("occurredAt").asText());
            }
            return null;
        } catch (IOException | RuntimeException e) {
            String message = String.valueOf(e.getMessage());
            int nl = message.indexOf('\n');
            return nl < 0 ? message : message.substring(0, nl);
        }
    }
}
