package org.trialwatch.registry.persistence;

import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

import org.trialwatch.events.ChangeOrigin;
import org.trialwatch.events.TrialStatus;

/** One row of a trial's append-only status history (the database refuses updates and deletes). */
public class StatusChange {

    public Long id;

    public String nctId;

    public TrialStatus previousStatus;

    public TrialStatus newStatus;

    /** When the status took effect; null for an imported reading whose effective date nobody recorded. */
    public LocalDate effectiveDate;

    public String reason;

    public ChangeOrigin origin;

    public boolean correction;
    public String recordedBy;
    public Instant recordedAt;
    public UUID eventId;
}
