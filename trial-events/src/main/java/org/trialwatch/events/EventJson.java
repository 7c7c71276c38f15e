package org.trialwatch.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/** The one JSON shape of the contract: ISO dates, nulls written out (unknown is said, not omitted). */
public final class EventJson {

    private static final ObjectMapper MAPPER = configure(new ObjectMapper());

    private EventJson() {
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static ObjectMapper configure(ObjectMapper mapper) {
        return mapper.registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .setSerializationInclusion(JsonInclude.Include.ALWAYS);
    }

    public static byte[] toBytes(Object event) {
        try {
            return MAPPER.writeValueAsBytes(event);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException("event cannot be written as JSON", e);
        }
    }

    /** Reads a trial event payload of the given CloudEvents type. */
    public static TrialEvent readTrialEvent(String type, byte[] json) throws java.io.IOException {
        Class<? extends TrialEvent> target = switch (type) {
            case EventTypes.TRIAL_REGISTERED -> TrialRegistered.class;
            case EventTypes.TRIAL_STATUS_CHANGED -> TrialStatusChanged.class;
            case EventTypes.TRIAL_UPDATED -> TrialUpdated.class;
            case EventTypes.TRIAL_RESULTS_POSTED -> TrialResultsPosted.class;
            default -> throw new IllegalArgumentException("unknown trial event type: " + type);
        };
        return MAPPER.readValue(json, target);
    }
}
