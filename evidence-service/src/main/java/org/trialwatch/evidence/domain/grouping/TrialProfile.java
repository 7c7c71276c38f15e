package org.trialwatch.evidence.domain.grouping;

import java.util.List;

/** The review fields of a tracked trial that place it in groups, as the registry's {@code trial.registered} carries them. */
public record TrialProfile(String nctId, List<String> tumourTypes, String setting, String regimen, String mechanism,
                           String therapyClass) {
}
