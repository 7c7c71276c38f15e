package org.trialwatch.events;

import java.util.List;

/**
 * The tracked facts of a trial as carried by {@code trial.registered}. Null means unknown; dates are ISO partial dates
 * ({@code yyyy}, {@code yyyy-MM} or {@code yyyy-MM-dd}) as ClinicalTrials.gov gives them, never padded with a guessed day.
 */
public record TrialSnapshot(
        String nctId,
        String briefTitle,
        String officialTitle,
        String acronym,
        List<String> conditions,
        List<String> tumourTypes,
        String setting,
        String regimen,
        List<String> interventions,
        String mechanism,
        String therapyClass,
        List<String> phases,
        String sponsor,
        Integer enrollmentCount,
        String enrollmentType,
        String startDate,
        String primaryCompletionDate,
        String completionDate,
        TrialStatus overallStatus,
        String whyStopped) {
}
