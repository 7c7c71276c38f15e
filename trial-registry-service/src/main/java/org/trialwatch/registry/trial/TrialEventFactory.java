package org.trialwatch.registry.trial;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

import org.trialwatch.events.ChangeOrigin;
import org.trialwatch.events.FieldChange;
import org.trialwatch.events.PostedResult;
import org.trialwatch.events.TrialRegistered;
import org.trialwatch.events.TrialResultsPosted;
import org.trialwatch.events.TrialSnapshot;
import org.trialwatch.events.TrialStatus;
import org.trialwatch.events.TrialStatusChanged;
import org.trialwatch.events.TrialUpdated;

/** Builds the contract's events from a trial. Each call takes the trial's next event sequence. */
public final class TrialEventFactory {

    private final String source;

    public TrialEventFactory(String source) {
        this.source = source;
    }

    public static TrialSnapshot snapshot(Trial t) {
        return new TrialSnapshot(t.nctId, t.briefTitle, t.officialTitle, t.acronym, t.conditions, t.tumourTypes,
                t.setting, t.regimen, t.interventions, t.mechanism, t.therapyClass, t.phases, t.sponsor,
                t.enrollmentCount, t.enrollmentType, t.startDate, t.primaryCompletionDate, t.completionDate,
                t.overallStatus, t.whyStopped);
    }

    public TrialRegistered registered(Trial trial, ChangeOrigin origin, Instant at) {
        return new TrialRegistered(newId(), trial.nctId, trial.nextEventSequence(), at, source, origin, snapshot(trial));
    }

    public TrialStatusChanged statusChanged(Trial trial, TrialStatus previous, LocalDate effectiveDate, String reason,
                                            ChangeOrigin origin, boolean correction, Instant at) {
        return new TrialStatusChanged(newId(), trial.nctId, trial.nextEventSequence(), at, source, previous,
                trial.overallStatus, effectiveDate, reason, origin, correction);
    }

    public TrialUpdated updated(Trial trial, List<FieldChange> changes, ChangeOrigin origin, Instant at) {
        return new TrialUpdated(newId(), trial.nctId, trial.nextEventSequence(), at, source, origin, changes);
    }

    public TrialResultsPosted resultsPosted(Trial trial, List<PostedResult> results, ChangeOrigin origin, Instant at) {
        return new TrialResultsPosted(newId(), trial.nctId, trial.nextEventSequence(), at, source, origin, results);
    }

    private static String newId() {
        return UUID.randomUUID().toString();
    }
}
