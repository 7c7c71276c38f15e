package org.trialwatch.registry.rest;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;
import org.trialwatch.registry.persistence.SyncRun;

/** A sync run as clients see it; {@code errors} lists each skipped study with its NCT id and why. */
public record SyncRunView(long id, String state, String trigger,
                          @JsonInclude(JsonInclude.Include.NON_NULL) String triggeredBy, Instant startedAt,
                          Instant finishedAt, String dataTimestamp, String apiVersion, int studiesRequested,
                          int studiesFetched, int studiesChanged, int changesFound, List<Map<String, String>> errors,
                          String failure, Map<String, String> links) {

    public static SyncRunView of(SyncRun r) {
        return new SyncRunView(r.id, r.state, r.triggerKind, r.triggeredBy, r.startedAt, r.finishedAt, r.dataTimestamp,
                r.apiVersion, r.studiesRequested, r.studiesFetched, r.studiesChanged, r.changesFound, r.errors,
                r.failure, Map.of("self", "/api/sync/runs/" + r.id));
    }

    /** For readers who may not see who started it (see {@link AuthorVisibility}). */
    public SyncRunView withoutAuthor() {
        return new SyncRunView(id, state, trigger, null, startedAt, finishedAt, dataTimestamp, apiVersion,
                studiesRequested, studiesFetched, studiesChanged, changesFound, errors, failure, links);
    }

    /** One page of runs, newest first; {@code next} is the cursor of the older page, null on the last. */
    public record Page(List<SyncRunView> items, String next, int limit) {
    }
}
