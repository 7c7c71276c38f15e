package org.trialwatch.evidence.messaging;

import java.util.List;
import java.util.Map;

import org.trialwatch.events.CloudEventDecoder;
import org.trialwatch.events.EventTypes;
import org.trialwatch.events.TrialEvent;
import org.trialwatch.events.UndecodableEventException;

/**
 * Turns a consumed record into a contract event with the contract's {@link CloudEventDecoder}, or says in one line why
 * it cannot: that line ({@code category: detail}) travels with the record to the dead-letter topic. What is this
 * service's own: a record without {@code ce_id} is taken (deduplicated by the payload's eventId), and the record key
 * must be the payload's nctId.
 */
public final class TrialEventDecoder {

    private static final CloudEventDecoder DECODER = CloudEventDecoder.forTypes(EventTypes.TRIAL_TYPES).idOptional();

    /** A decoded event with the CloudEvent id it is deduplicated by. */
    public record Decoded(String eventId, String type, TrialEvent event) {
    }

    private TrialEventDecoder() {
    }

    public static Decoded decode(Map<String, String> headers, String key, byte[] value) {
        CloudEventDecoder.Decoded decoded;
        try {
            decoded = DECODER.decode(headers, value);
        } catch (UndecodableEventException e) {
            throw poison(e);
        }
        TrialEvent event = decoded.trialEvent();
        if (key != null && !key.equals(event.nctId())) {
            throw new PoisonEventException("malformed", "record key '" + key + "' is not the payload's nctId " + event.nctId());
        }
        String id = decoded.id();
        return new Decoded(id == null || id.isBlank() ? event.eventId() : id, decoded.type(), event);
    }

    private static PoisonEventException poison(UndecodableEventException e) {
        String type = e.type();
        return switch (e.reason()) {
            case MISSING_ID, MISSING_TYPE -> new PoisonEventException("missing-header", "no ce_type header");
            case TYPE_NOT_CARRIED -> new PoisonEventException("unknown-type",
                    "'" + type + "' is not a trial event type of contract v1");
            case EMPTY_PAYLOAD -> new PoisonEventException("malformed", "empty payload");
            case NOT_JSON -> new PoisonEventException("malformed",
                    "payload is not JSON (" + e.detailFirstLine() + ")");
            case NOT_AN_OBJECT -> new PoisonEventException("malformed", "payload is not a JSON object");
            case SCHEMA_INVALID -> {
                List<String> violations = e.violations();
                yield new PoisonEventException("schema-invalid",
                        String.join("; ", violations.subList(0, Math.min(5, violations.size()))));
            }
            case UNREADABLE -> new PoisonEventException("malformed", "payload does not map to "
                    + EventTypes.shortName(type) + " (" + e.detailFirstLine() + ")");
        };
    }
}
