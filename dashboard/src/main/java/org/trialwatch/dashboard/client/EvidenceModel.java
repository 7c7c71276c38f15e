package org.trialwatch.dashboard.client;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/** The evidence service's wire shapes, as far as the dashboard reads them. Every number here is the service's. */
public final class EvidenceModel {

    private EvidenceModel() {
    }

    public record EvidenceList(int count, List<EvidenceRow> rows) {
    }

    public record GroupRef(String groupKey, String why) {
    }

    public record EvidenceRow(String id, String kind, String citation, Integer table, Integer row,
                              String textFigureId, List<Integer> refs, String authors, Integer year, String section,
                              LinkedHashMap<String, Cell> columns, List<String> results, List<String> notes,
                              List<String> nctIds, String sourceText, List<GroupRef> groups) {
    }

    /** One printed cell: the value as read beside the value as printed, and why they differ. */
    public record Cell(JsonNode value, JsonNode raw, boolean corrected, String correctionReason, String confidence,
                       String errorOrigin) {

        public String valueText() {
            return Json.text(value);
        }

        public String rawText() {
            return Json.text(raw);
        }

        /** The value as read; a correction the service could not resolve reads "unresolved". */
        public String shownText() {
            String v = valueText();
            return v.isEmpty() && corrected ? "unresolved" : v;
        }
    }

    public record SummaryPage(List<Summary> items, String next, int limit) {
    }

    public record Summary(String groupKey, long version, Instant updatedAt, String tumourType, String line,
                          String therapyClass, String target, Orr orr, MedianOs medianOs,
                          List<CertaintyFlag> certaintyFlags, List<Member> rows, List<TrackedTrial> trials,
                          Map<String, Integer> trackedByStatus, Change latestChange, EvidenceCount evidence) {
    }

    public record Interval(Double lower, Double upper) {
    }

    public record Orr(Pooled pooled, List<Readout> readouts, String pooledNote) {
    }

    public record Pooled(int k, Interval ci95, Double tau2, String method, Double percent, List<String> studies,
                         Double i2Percent) {
    }

    public record Readout(String id, String study, Double percent, Integer n, Interval ci95, String nFrom,
                          List<String> notes, String citation, String endpoint) {
    }

    public record MedianOs(Double low, Double high, OsValue best, List<OsValue> values) {
    }

    public record OsValue(String from, Double months, String measure, String citation, List<String> notes) {
    }

    public record CertaintyFlag(String flag, String detail, List<String> members) {
    }

    public record Member(String id, String why, String citation) {
    }

    public record TrackedTrial(String nctId, String status, String whyStopped, Boolean resultsPosted, String why) {
    }

    public record EvidenceCount(Integer rows, Integer tableRows, Integer totalPatients, String patientsNote) {
    }

    public record Cause(String type, String eventId, String nctId) {
    }

    public record ChangeItem(String field, JsonNode from, JsonNode to, String description) {
    }

    public record Change(String at, Cause cause, List<ChangeItem> changes, long version) {
    }

    public record History(String groupKey, long currentVersion, List<HistoryVersion> versions) {
    }

    public record HistoryVersion(long version, String occurredAt, Cause cause, List<ChangeItem> changes) {
    }

    public record TrialGroup(String groupKey, String why, List<String> rowIds) {
    }

    public record TrialEvidence(String nctId, boolean tracked, String status, List<TrialGroup> groups,
                                List<EvidenceRow> evidence) {
    }
}
