package org.trialwatch.registry.domain;

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

/**
 * Builds the contract's events. Plain Java: the caller gives the trial's id and the sequence the event takes (the
 * trial's last published sequence plus one), so the factory needs no entity.
 */
public final class TrialEventFactory {

    private final String source;

    public TrialEventFactory(String source) {
        this.source = source;
    }

    public TrialRegistered registered(TrialSnapshot trial, long sequence, ChangeOrigin origin, Instant at) {
        return new TrialRegistered(newId(), trial.nctId(), sequence, at, source, origin, trial);
    }

    public TrialStatusChanged statusChanged(String nctId, long sequence, TrialStatus previous, TrialStatus next,
                                            LocalDate effectiveDate, String reason, ChangeOrigin origin,
                                            boolean correction, Instant at) {
        return new TrialStatusChanged(newId(), nctId, sequence, at, source, previous, next, effectiveDate, reason, origin,
                correction);
    }

    public TrialUpdated updated(String nctId, long sequence, List<FieldChange> changes, ChangeOrigin origin, Instant at) {
        return new TrialUpdated(newId(), nctId, sequence, at, source, origin, changes);
    }

    public TrialResultsPosted resultsPosted(String nctId, long sequence, List<PostedResult> results, ChangeOrigin origin,
                                            Instant at) {
        return new TrialResultsPosted(newId(), nctId, sequence, at, source, origin, results);
    }

    private static String newId() {
        return UUID.randomUUID().toString();
    }
}
