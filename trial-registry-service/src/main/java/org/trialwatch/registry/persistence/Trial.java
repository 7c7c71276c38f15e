package org.trialwatch.registry.persistence;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.PostPersist;
import jakarta.persistence.PostRemove;
import jakarta.persistence.PostUpdate;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import org.hibernate.annotations.JdbcTypeCode;
import org.hibernate.type.SqlTypes;
import org.trialwatch.events.TrialSnapshot;
import org.trialwatch.events.TrialStatus;

/** A tracked trial. Null fields are unknown; {@link #version} guards every change (If-Match / ETag). */
@Entity
// Only changed columns are written: a status change must not rewrite (and re-index) titles, lists and provenance.
@org.hibernate.annotations.DynamicUpdate
@Table(name = "trial")
public class Trial extends PanacheEntityBase {

    @Id
    @Column(name = "nct_id")
    public String nctId;

    public String briefTitle;
    public String officialTitle;
    public String acronym;

    @JdbcTypeCode(SqlTypes.JSON)
    public List<String> conditions;

    @JdbcTypeCode(SqlTypes.JSON)
    public List<String> tumourTypes = List.of();

    public String setting;
    public String regimen;

    @JdbcTypeCode(SqlTypes.JSON)
    public List<String> interventions;

    public String mechanism;
    public String therapyClass;

    @JdbcTypeCode(SqlTypes.JSON)
    public List<String> phases;

    public String sponsor;
    public Integer enrollmentCount;
    public String enrollmentType;
    public String startDate;
    /** ACTUAL or ESTIMATED, as ClinicalTrials.gov types the date; null when unknown. */
    public String startDateType;
    public String primaryCompletionDate;
    public String primaryCompletionDateType;
    public String completionDate;
    public String completionDateType;

    @Enumerated(EnumType.STRING)
    public TrialStatus overallStatus;

    public String whyStopped;

    /** ClinicalTrials.gov's last status before it marked the record UNKNOWN (unverified for too long). */
    @Enumerated(EnumType.STRING)
    public TrialStatus lastKnownStatus;

    public Boolean hasResults;
    public String lastUpdatePosted;

    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, Object> reviewProvenance;

    @JdbcTypeCode(SqlTypes.JSON)
    public Map<String, Object> factSources = Map.of();

    @JdbcTypeCode(SqlTypes.JSON)
    public List<Object> unverifiedReadings;

    /** The sequence of the last event published for this trial; the next event carries {@code eventSequence + 1}. */
    public long eventSequence;

    @Version
    public long version;

    public Instant createdAt;
    public Instant updatedAt;

    /** Rendered trial lists are dropped once this write commits (TrialWrites). */
    @PostPersist
    @PostUpdate
    @PostRemove
    void written() {
        TrialWrites.trialChanged();
    }

    public long nextEventSequence() {
        eventSequence = eventSequence + 1;
        return eventSequence;
    }

    /** The tracked fields as the contract carries them in {@code trial.registered}. */
    public TrialSnapshot snapshot() {
        return new TrialSnapshot(nctId, briefTitle, officialTitle, acronym, conditions, tumourTypes, setting, regimen,
                interventions, mechanism, therapyClass, phases, sponsor, enrollmentCount, enrollmentType, startDate,
                primaryCompletionDate, completionDate, overallStatus, whyStopped);
    }
}
