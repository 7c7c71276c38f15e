package org.trialwatch.registry.rest;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.trialwatch.events.ChangeOrigin;
import org.trialwatch.events.TrialStatus;
import org.trialwatch.registry.persistence.StatusChange;

public record StatusChangeView(long id, String nctId, TrialStatus previousStatus, TrialStatus newStatus,
                               LocalDate effectiveDate, String reason, ChangeOrigin origin, boolean correction,
                               @JsonInclude(JsonInclude.Include.NON_NULL) String recordedBy, Instant recordedAt, String eventId) {

    public static StatusChangeView of(StatusChange c) {
        return new StatusChangeView(c.id, c.nctId, c.previousStatus, c.newStatus, c.effectiveDate, c.reason, c.origin,
                c.correction, c.recordedBy, c.recordedAt, c.eventId == null ? null : c.eventId.toString());
    }

    /** For readers who may not see who recorded it (see {@link AuthorVisibility}). */
    public StatusChangeView withoutAuthor() {
        return new StatusChangeView(id, nctId, previousStatus, newStatus, effectiveDate, reason, origin, correction, null,
                recordedAt, eventId);
    }

    /** One page of a trial's status history, oldest first; {@code next} is the cursor of the following page. */
    public record Page(List<StatusChangeView> items, String next, int limit) {
    }
}
