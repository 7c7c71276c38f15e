package org.trialwatch.registry.rest;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.trialwatch.events.PostedResult;
import org.trialwatch.registry.persistence.PostedResultRecord;

public record PostedResultView(long id, String nctId, PostedResult.Endpoint endpoint, String arm, BigDecimal value,
                               String unit, PostedResult.ConfidenceInterval ci95, Integer n, String source,
                               @JsonInclude(JsonInclude.Include.NON_NULL) String postedBy, Instant postedAt, String eventId,
                               PostedResult.ArmRole armRole, Integer responders) {

    public static PostedResultView of(PostedResultRecord r) {
        return new PostedResultView(r.id, r.nctId, r.endpoint, r.arm, r.value, r.unit,
                r.ciLower == null && r.ciUpper == null ? null : new PostedResult.ConfidenceInterval(r.ciLower, r.ciUpper),
                r.n, r.source, r.postedBy, r.postedAt, r.eventId.toString(), r.armRole, r.responders);
    }

    /** For readers who may not see who posted it (see {@link AuthorVisibility}). */
    public PostedResultView withoutAuthor() {
        return new PostedResultView(id, nctId, endpoint, arm, value, unit, ci95, n, source, null, postedAt, eventId, armRole,
                responders);
    }

    /** One page of a trial's posted results, oldest first; {@code next} is the cursor of the following page. */
    public record Page(List<PostedResultView> items, String next, int limit) {
    }
}
