package org.trialwatch.registry.rest;

import java.math.BigDecimal;
import java.time.Instant;

import org.trialwatch.events.PostedResult;
import org.trialwatch.registry.trial.PostedResultRecord;

public record PostedResultView(long id, String nctId, PostedResult.Endpoint endpoint, String arm, BigDecimal value,
                               String unit, PostedResult.ConfidenceInterval ci95, Integer n, String source,
                               String postedBy, Instant postedAt, String eventId, PostedResult.ArmRole armRole,
                               Integer responders) {

    public static PostedResultView of(PostedResultRecord r) {
        return new PostedResultView(r.id, r.nctId, r.endpoint, r.arm, r.value, r.unit,
                r.ciLower == null && r.ciUpper == null ? null : new PostedResult.ConfidenceInterval(r.ciLower, r.ciUpper),
                r.n, r.source, r.postedBy, r.postedAt, r.eventId.toString(), r.armRole, r.responders);
    }
}
