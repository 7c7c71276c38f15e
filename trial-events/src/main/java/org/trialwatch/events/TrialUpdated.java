package org.trialwatch.events;

import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonIgnore;

public record TrialUpdated(String eventId, String nctId, long sequence, Instant occurredAt, String source,
                           ChangeOrigin origin, List<FieldChange> changes) implements TrialEvent {

    @Override
    @JsonIgnore
    public String type() {
        return EventTypes.TRIAL_UPDATED;
    }
}
