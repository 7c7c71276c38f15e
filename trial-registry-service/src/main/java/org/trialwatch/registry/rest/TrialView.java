package org.trialwatch.registry.rest;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.trialwatch.events.TrialStatus;
import org.trialwatch.registry.persistence.Trial;

/**
 * A trial as clients see it. {@code overallStatus} null means nobody has verified it yet ({@code statusVerified=false});
 * every registry fact's source and reading date is in {@code factSources}, the review's in {@code reviewProvenance}.
 */
public record TrialView(
        String nctId, String briefTitle, String officialTitle, String acronym, List<String> conditions,
        List<String> tumourTypes, String setting, String regimen, List<String> interventions, String mechanism,
        String therapyClass, List<String> phases, String sponsor, Integer enrollmentCount, String enrollmentType,
        String startDate, String startDateType, String primaryCompletionDate, String primaryCompletionDateType,
        String completionDate, String completionDateType, TrialStatus overallStatus,
        boolean statusVerified, String whyStopped, TrialStatus lastKnownStatus, Boolean hasResults, String lastUpdatePosted,
        Map<String, Object> reviewProvenance, Map<String, Object> factSources, List<Object> unverifiedReadings,
        long version, Instant updatedAt, Map<String, String> links) {

    public static TrialView of(Trial t) {
        return new TrialView(t.nctId, t.briefTitle, t.officialTitle, t.acronym, t.conditions, t.tumourTypes, t.setting,
                t.regimen, t.interventions, t.mechanism, t.therapyClass, t.phases, t.sponsor, t.enrollmentCount,
                t.enrollmentType, t.startDate, t.startDateType, t.primaryCompletionDate, t.primaryCompletionDateType,
                t.completionDate, t.completionDateType, t.overallStatus, t.overallStatus != null, t.whyStopped,
                t.lastKnownStatus, t.hasResults, t.lastUpdatePosted, t.reviewProvenance,
                t.factSources, t.unverifiedReadings, t.version, t.updatedAt,
                links(t.nctId));
    }

    /**
     * In one order, always: Map.of iterates in an order that changes from one JVM to the next, so two replicas wrote
     * the same trial as different bytes, and the list's ETag (a hash of its bytes) would differ between them.
     */
    private static Map<String, String> links(String nctId) {
        Map<String, String> links = new LinkedHashMap<>();
        links.put("self", "/api/trials/" + nctId);
        links.put("history", "/api/trials/" + nctId + "/history");
        links.put("results", "/api/trials/" + nctId + "/results");
        links.put("versions", "/api/trials/" + nctId + "/versions");
        return links;
    }

    public static String etag(Trial t) {
        return "\"" + t.version + "\"";
    }
}
