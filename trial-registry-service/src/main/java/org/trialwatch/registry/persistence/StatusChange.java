package org.trialwatch.registry.persistence;

import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import org.trialwatch.events.ChangeOrigin;
import org.trialwatch.events.TrialStatus;

/** One row of a trial's append-only status history (the database refuses updates and deletes). */
@Entity
@Table(name = "status_change")
public class StatusChange extends PanacheEntityBase {

    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    public Long id;

    public String nctId;

    @Enumerated(EnumType.STRING)
    public TrialStatus previousStatus;

    @Enumerated(EnumType.STRING)
    public TrialStatus newStatus;

    /** When the status took effect; null for an imported reading whose effective date nobody recorded. */
    public LocalDate effectiveDate;

    public String reason;

    @Enumerated(EnumType.STRING)
    public ChangeOrigin origin;

    public boolean correction;
    public String recordedBy;
    public Instant recordedAt;
    public UUID eventId;
}
