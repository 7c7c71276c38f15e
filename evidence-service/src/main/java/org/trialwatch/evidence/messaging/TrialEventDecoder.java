package org.trialwatch.evidence.messaging;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import org.trialwatch.events.CloudEventHeaders;
import org.trialwatch.events.EventJson;
import org.trialwatch.events.EventSchemas;
import org.trialwatch.events.EventTypes;
import org.trialwatch.events.TrialEvent;

/**
 * Turns a consumed record (CloudEvents binary mode: {@code ce_*} headers, JSON payload) into a contract event, or
 * says in one line why it cannot: that line travels with the record to the dead-letter topic.
 */
public final class TrialEventDecoder {

    /** A decoded event with the CloudEvent id it is deduplicated by. */
    public record Decoded(String eventId, String type, TrialEvent event) {
    }

    private TrialEventDecoder() {
    }

    public static Decoded decode(Map<String, String> headers, String key, byte[] value) {
        String type = headers.get(CloudEventHeaders.TYPE);
        if (type == null || type.isBlank()) {
            throw new PoisonEventException("missing-header", "no " + CloudEventHeaders.TYPE + " header");
        }
        if (!EventTypes.TRIAL_TYPES.contains(type)) {
            throw new PoisonEventException("unknown-type", "'" + type + "' is not a trial event type of contract v1");
        }
        if (value == null || value.length == 0) {
            throw new PoisonEventException("malformed", "empty payload");
        }
        JsonNode tree;
        try {
            tree = EventJson.mapper().readTree(value);
        } catch (IOException e) {
            throw new PoisonEventException("malformed", "payload is not JSON (" + firstLine(e.getMessage()) + ")");
        }
        if (tree == null || !tree.isObject()) {
            throw new PoisonEventException("malformed", "payload is not a JSON object");
        }
        List<String> violations = EventSchemas.violations(type, tree);
        if (!violations.isEmpty()) {
            throw new PoisonEventException("schema-invalid", String.join("; ", violations.subList(0, Math.min(5, violations.size()))));
        }
        TrialEvent event;
        try {
            event = EventJson.readTrialEvent(type, value);
        } catch (IOException | IllegalArgumentException e) {
            throw new PoisonEventException("malformed", "payload does not map to " + EventTypes.shortName(type)
                    + " (" + firstLine(e.getMessage()) + ")");
        }
        if (key != null && !key.equals(event.nctId())) {
            throw new PoisonEventException("malformed", "record key '" + key + "' is not the payload's nctId " + event.nctId());
        }
        String id = headers.get(CloudEventHeaders.ID);
        return new Decoded(id == null || id.isBlank() ? event.eventId() : id, type, event);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "no detail";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
