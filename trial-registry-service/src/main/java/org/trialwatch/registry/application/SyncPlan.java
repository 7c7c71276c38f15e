package org.trialwatch.registry.application;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.trialwatch.events.PostedResult;
import org.trialwatch.events.TrialStatus;
import org.trialwatch.registry.domain.TransitionRule;

/**
 * What the registry sync wants to record for one trial, worked out from the locked row: a status change (or none),
 * field values that differ, results not posted before, and the provenance of each fact it sets.
 *
 * @param newStatus        the status ClinicalTrials.gov reports, or null when it equals the registry's
 * @param effectiveDate    the date the status change is recorded as effective (required by the event contract)
 * @param statusReason     why, as the history and the event carry it
 * @param statusCorrection true when a curator could not make this change (it breaks {@code overriddenRules})
 * @param overriddenRules  the transition rules the change breaks, recorded anyway because the registry is the source
 * @param fields           the fields to set, each with its new JSON value
 * @param results          results to post
 * @param factSources      factSources entries to put, keyed by field name
 */
public record SyncPlan(TrialStatus newStatus, java.time.LocalDate effectiveDate, String statusReason, boolean statusCorrection,
                       List<TransitionRule> overriddenRules, Map<TrialField, JsonNode> fields,
                       List<PostedResult> results, Map<String, Object> factSources) {

    public SyncPlan {
        overriddenRules = List.copyOf(overriddenRules);
        fields = Map.copyOf(fields);
        results = List.copyOf(results);
        factSources = Map.copyOf(factSources);
    }

    public static SyncPlan nothing() {
        return new SyncPlan(null, null, null, false, List.of(), Map.of(), List.of(), Map.of());
    }

    public boolean isEmpty() {
        return newStatus == null && fields.isEmpty() && results.isEmpty() && factSources.isEmpty();
    }

    /** Status change, field changes and posted results, each counted once. */
    public int changeCount() {
        return (newStatus == null ? 0 : 1) + fields.size() + results.size();
    }
}
