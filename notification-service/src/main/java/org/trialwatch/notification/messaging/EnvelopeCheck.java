package org.trialwatch.notification.messaging;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;

import org.trialwatch.events.CloudEventDecoder;
import org.trialwatch.events.CloudEventHeaders;
import org.trialwatch.events.EventTypes;
import org.trialwatch.events.UndecodableEventException;
import org.trialwatch.support.tracing.TraceParent;
import org.trialwatch.events.EvidenceSummaryUpdated;
import org.trialwatch.events.Topics;
import org.trialwatch.notification.application.IncomingEvent;

/**
 * Checks a Kafka record against the contract with the contract's {@link CloudEventDecoder} (CloudEvents binary-mode
 * headers, a type this topic carries, a payload valid against its JSON Schema and readable as its record), then what
 * intake itself relies on: an {@code occurredAt} and a {@code ce_time} it can read as instants. A record that fails is
 * not retried: it goes to the dead-letter topic with the reason.
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
        CloudEventDecoder.Decoded decoded;
        try {
            decoded = CloudEventDecoder.forTopic(topic).decode(headers, value);
        } catch (UndecodableEventException e) {
            return new Rejected(reason(topic, e));
        }
        // Intake reads occurredAt as an instant inside its transaction: whatever fails there would fail on every retry
        if (decoded.payload().hasNonNull("occurredAt")) {
            try {
                Instant.parse(decoded.payload().get("occurredAt").asText());
            } catch (DateTimeParseException e) {
                return new Rejected("payload does not read as " + EventTypes.shortName(decoded.type()) + ": "
                        + firstLine(e.getMessage()));
            }
        }
        Instant time = null;
        if (decoded.time() != null) {
            try {
                time = Instant.parse(decoded.time());
            } catch (DateTimeParseException e) {
                return new Rejected("header " + CloudEventHeaders.TIME + " is not an RFC 3339 time");
            }
        }
        return new Accepted(new IncomingEvent(topic, decoded.id(), decoded.type(), decoded.subject(), time,
                decoded.payload(), headers.get(TraceParent.HEADER), decoded.event()));
    }

    private static String reason(String topic, UndecodableEventException e) {
        return switch (e.reason()) {
            case MISSING_ID -> "missing header " + CloudEventHeaders.ID;
            case MISSING_TYPE -> "missing header " + CloudEventHeaders.TYPE;
            case TYPE_NOT_CARRIED -> "type " + e.type() + " is not carried by topic " + topic;
            case EMPTY_PAYLOAD -> "empty payload";
            case NOT_JSON -> "payload is not JSON: " + e.detail();
            case NOT_AN_OBJECT -> "payload is not a JSON object";
            case SCHEMA_INVALID -> "payload violates " + EventTypes.shortName(e.type()) + " schema: "
                    + String.join("; ", e.violations());
            case UNREADABLE -> "payload does not read as " + EventTypes.shortName(e.type()) + ": " + e.detailFirstLine();
        };
    }

    private static String firstLine(String message) {
        String text = String.valueOf(message);
        int nl = text.indexOf('\n');
        return nl < 0 ? text : text.substring(0, nl);
    }
}
