package org.trialwatch.events;

import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Reads a consumed Kafka record as a CloudEvent of the contract (binary content mode: attributes in {@code ce_*}
 * headers, the JSON data as the record value): the headers, a type the topic carries, a JSON object payload valid
 * against the type's schema and readable as its record. One decoder for every consumer, so they cannot disagree on
 * what is poison. What a consumer does with the event (and how it words a rejection) stays with the consumer.
 */
public final class CloudEventDecoder {

    /**
     * A decoded event. {@code id} and {@code subject} are the headers as sent (null when absent); {@code event} is a
     * {@link TrialEvent} or an {@link EvidenceSummaryUpdated}.
     */
    public record Decoded(String id, String type, String source, String subject, String time, JsonNode payload,
                          Object event) {

        public TrialEvent trialEvent() {
            return (TrialEvent) event;
        }

        public EvidenceSummaryUpdated summaryUpdated() {
            return (EvidenceSummaryUpdated) event;
        }
    }

    private final Collection<String> carriedTypes;
    private final boolean idRequired;

    private CloudEventDecoder(Collection<String> carriedTypes, boolean idRequired) {
        this.carriedTypes = List.copyOf(carriedTypes);
        this.idRequired = idRequired;
    }

    /** A decoder for a topic carrying these types; a record without {@code ce_id} is rejected. */
    public static CloudEventDecoder forTypes(Collection<String> carriedTypes) {
        return new CloudEventDecoder(carriedTypes, true);
    }

    /** A decoder for the types a topic carries: {@link Topics#EVIDENCE_EVENTS} the summary, any other the trial ones. */
    public static CloudEventDecoder forTopic(String topic) {
        return forTypes(Topics.EVIDENCE_EVENTS.equals(topic)
                ? List.of(EventTypes.EVIDENCE_SUMMARY_UPDATED) : EventTypes.TRIAL_TYPES);
    }

    /** As this decoder, but taking a record without {@code ce_id} (its caller falls back to the payload's eventId). */
    public CloudEventDecoder idOptional() {
        return new CloudEventDecoder(carriedTypes, false);
    }

    public Collection<String> carriedTypes() {
        return carriedTypes;
    }

    /** The event, or {@link UndecodableEventException} saying what is wrong. */
    public Decoded decode(Map<String, String> headers, byte[] value) {
        String id = headers.get(CloudEventHeaders.ID);
        String type = headers.get(CloudEventHeaders.TYPE);
        if (idRequired && (id == null || id.isBlank())) {
            throw new UndecodableEventException(UndecodableEventException.Reason.MISSING_ID, type, null, null);
        }
        if (type == null || type.isBlank()) {
            throw new UndecodableEventException(UndecodableEventException.Reason.MISSING_TYPE, null, null, null);
        }
        if (!carriedTypes.contains(type)) {
            throw new UndecodableEventException(UndecodableEventException.Reason.TYPE_NOT_CARRIED, type, null, null);
        }
        if (value == null || value.length == 0) {
            throw new UndecodableEventException(UndecodableEventException.Reason.EMPTY_PAYLOAD, type, null, null);
        }
        JsonNode payload;
        try {
            payload = EventJson.mapper().readTree(value);
        } catch (IOException e) {
            throw new UndecodableEventException(UndecodableEventException.Reason.NOT_JSON, type, e.getMessage(), null);
        }
        if (payload == null || !payload.isObject()) {
            throw new UndecodableEventException(UndecodableEventException.Reason.NOT_AN_OBJECT, type, null, null);
        }
        List<String> violations = EventSchemas.violations(type, payload);
        if (!violations.isEmpty()) {
            throw new UndecodableEventException(UndecodableEventException.Reason.SCHEMA_INVALID, type, null,
                    violations);
        }
        Object event;
        try {
            event = EventTypes.EVIDENCE_SUMMARY_UPDATED.equals(type)
                    ? EventJson.mapper().readValue(value, EvidenceSummaryUpdated.class)
                    : EventJson.readTrialEvent(type, value);
        } catch (IOException | RuntimeException e) {
            throw new UndecodableEventException(UndecodableEventException.Reason.UNREADABLE, type,
                    String.valueOf(e.getMessage()), null);
        }
        return new Decoded(id, type, headers.get(CloudEventHeaders.SOURCE), headers.get(CloudEventHeaders.SUBJECT),
                headers.get(CloudEventHeaders.TIME), payload, event);
    }
}
