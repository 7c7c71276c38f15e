package org.trialwatch.events;

import java.time.Instant;

import com.fasterxml.jackson.annotation.JsonIgnore;

public record TrialRegistered(String eventId, String nctId, long sequence, Instant occurredAt, String source,
                              ChangeOrigin origin, TrialSnapshot trial) implements TrialEvent {

    @Override
    @JsonIgnore
    public String type() {
        return EventTypes.TRIAL_REGISTERED;
    }
}
