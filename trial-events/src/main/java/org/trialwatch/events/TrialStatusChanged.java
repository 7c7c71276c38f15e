package org.trialwatch.events;

import java.time.Instant;
import java.time.LocalDate;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * A change of overall status. {@code previousStatus} is null when the status was not verified before.
 * {@code correction} marks a change that leaves a terminal status or otherwise overrides the transition rules.
 */
public record TrialStatusChanged(String eventId, String nctId, long sequence, Instant occurredAt, String source,
                                 TrialStatus previousStatus, TrialStatus newStatus, LocalDate effectiveDate,
                                 String reason, ChangeOrigin origin, boolean correction) implements TrialEvent {

    @Override
    @JsonIgnore
    public String type() {
        return EventTypes.TRIAL_STATUS_CHANGED;
    }
}
