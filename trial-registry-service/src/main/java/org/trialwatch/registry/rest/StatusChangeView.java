package org.trialwatch.registry.rest;

import java.time.Instant;
import java.time.LocalDate;

import org.trialwatch.events.ChangeOrigin;
import org.trialwatch.events.TrialStatus;
import org.trialwatch.registry.trial.StatusChange;

public record StatusChangeView(long id, String nctId, TrialStatus previousStatus, TrialStatus newStatus,
                               LocalDate effectiveDate, String reason, ChangeOrigin origin, boolean correction,
                               String recordedBy, Instant recordedAt, String eventId) {

    public static StatusChangeView of(StatusChange c) {
        return new StatusChangeView(c.id, c.nctId, c.previousStatus, c.newStatus, c.effectiveDate, c.reason, c.origin,
                c.correction, c.recordedBy, c.recordedAt, c.eventId == null ? null : c.eventId.toString());
    }
}
