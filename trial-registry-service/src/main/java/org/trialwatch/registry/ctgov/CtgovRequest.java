package org.trialwatch.registry.ctgov;

import java.util.List;

/** One call to ClinicalTrials.gov, as {@link CtgovClient#get} makes it (so one guarded method covers every call). */
public sealed interface CtgovRequest {

    /** {@code GET /api/v2/version}. */
    record Version() implements CtgovRequest {
    }

    /** {@code GET /api/v2/studies?filter.ids=…&fields=…&pageSize=…[&pageToken=…][&countTotal=true]&format=json}. */
    record StudiesPage(List<String> nctIds, String pageToken, boolean countTotal) implements CtgovRequest {
        public StudiesPage {
            nctIds = List.copyOf(nctIds);
        }
    }
}
