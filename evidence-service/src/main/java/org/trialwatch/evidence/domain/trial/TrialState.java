package org.trialwatch.evidence.domain.trial;

import java.time.Instant;
import java.util.List;

import org.trialwatch.evidence.domain.grouping.TrialProfile;

/** A tracked trial as this service knows it from the registry's events. {@code status} null: not verified. */
public record TrialState(String nctId, List<String> tumourTypes, String setting, String regimen, String mechanism,
                         String therapyClass, String status, String whyStopped, String snapshotJson,
                         long lastSequence, Instant updatedAt) {

    public TrialProfile profile() {
        return new TrialProfile(nctId, tumourTypes, setting, regimen, mechanism, therapyClass);
    }

    public static TrialState unknown(String nctId) {
        return new TrialState(nctId, null, null, null, null, null, null, null, null, 0, null);
    }
}
