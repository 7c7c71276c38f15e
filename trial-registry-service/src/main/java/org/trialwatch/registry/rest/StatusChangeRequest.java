package org.trialwatch.registry.rest;

import java.time.LocalDate;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import org.trialwatch.events.TrialStatus;

/** Body of {@code POST /api/trials/{nctId}/status-changes}. */
public record StatusChangeRequest(
        @NotNull TrialStatus newStatus,
        @NotNull LocalDate effectiveDate,
        @Size(max = 2000) String reason,
        Boolean correction) {
}
