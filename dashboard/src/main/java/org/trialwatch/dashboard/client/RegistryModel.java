package org.trialwatch.dashboard.client;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/** The registry's wire shapes, as far as the dashboard reads them (unknown properties are ignored). */
public final class RegistryModel {

    private RegistryModel() {
    }

    public record TrialPage(List<Trial> items, String next, int limit) {
    }

    public record Trial(String nctId, String briefTitle, String officialTitle, String acronym, List<String> conditions,
                        List<String> tumourTypes, String setting, String regimen, List<String> interventions,
                        String mechanism, String therapyClass, List<String> phases, String sponsor,
                        Integer enrollmentCount, String enrollmentType, String startDate, String startDateType,
                        String primaryCompletionDate, String primaryCompletionDateType, String completionDate,
                        String completionDateType, String overallStatus, boolean statusVerified, String whyStopped,
                        String lastKnownStatus, Boolean hasResults, String lastUpdatePosted,
                        Map<String, JsonNode> reviewProvenance, Map<String, JsonNode> factSources, long version,
                        Instant updatedAt) {

        /** The status as people say it; a status nobody verified reads "not verified". */
        public String statusText() {
            return org.trialwatch.dashboard.web.Labels.statusLabel(overallStatus);
        }

        public String tumours() {
            return tumourTypes == null ? "" : String.join(", ", tumourTypes);
        }
    }

    public record StatusChange(long id, String nctId, String previousStatus, String newStatus, String effectiveDate,
                               String reason, String origin, boolean correction, String recordedBy,
                               Instant recordedAt) {

        public String previousText() {
            return org.trialwatch.dashboard.web.Labels.statusLabel(previousStatus);
        }

        public String newText() {
            return org.trialwatch.dashboard.web.Labels.statusLabel(newStatus);
        }
    }

    public record Interval(BigDecimal lower, BigDecimal upper) {
    }

    public record PostedResult(long id, String endpoint, String arm, BigDecimal value, String unit, Interval ci95,
                               Integer n, String source, String postedBy, Instant postedAt) {
    }

    public record Version(int version, String lastUpdatePostDate, String dataTimestamp, Instant fetchedAt,
                          Long syncRunId) {
    }

    public record FieldChange(String field, JsonNode from, JsonNode to) {
    }

    public record VersionDiff(String nctId, Version from, Version to, List<FieldChange> changes) {
    }
}
