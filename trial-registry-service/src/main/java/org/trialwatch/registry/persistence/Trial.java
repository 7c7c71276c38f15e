package org.trialwatch.registry.persistence;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.trialwatch.events.TrialSnapshot;
import org.trialwatch.events.TrialStatus;

/**
 * A tracked trial, as {@link TrialRows} reads and writes its row. Null fields are unknown; {@link #version} guards
 * every change (If-Match / ETag) and moves by one with each write.
 */
public class Trial {

    public String nctId;

    public String briefTitle;
    public String officialTitle;
    public String acronym;

    public List<String> conditions;

    public List<String> tumourTypes = List.of();

    public String setting;
    public String regimen;

    public List<String> interventions;

    public String mechanism;
    public String therapyClass;

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

    public TrialStatus overallStatus;

    public String whyStopped;

    /** ClinicalTrials.gov's last status before it marked the record UNKNOWN (unverified for too long). */
    public TrialStatus lastKnownStatus;

    public Boolean hasResults;
    public String lastUpdatePosted;

    public Map<String, Object> reviewProvenance;

    public Map<String, Object> factSources = Map.of();

    public List<Object> unverifiedReadings;

    /** The sequence of the last event published for this trial; the next event carries {@code eventSequence + 1}. */
    public long eventSequence;

    public long version;

    public Instant createdAt;
    public Instant updatedAt;

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
