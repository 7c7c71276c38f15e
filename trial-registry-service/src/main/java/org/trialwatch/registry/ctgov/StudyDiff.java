package org.trialwatch.registry.ctgov;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import org.trialwatch.events.PostedResult;
import org.trialwatch.registry.application.SyncPlan;
import org.trialwatch.registry.application.TrialField;
import org.trialwatch.registry.domain.StatusTransitionPolicy;
import org.trialwatch.registry.domain.TransitionRule;
import org.trialwatch.registry.persistence.Trial;

/**
 * Compares a study record with what the registry holds and says what to record. Plain Java: it reads the trial and
 * never changes it.
 *
 * <p>A field is a change only when its stored value differs from the record's (compared after the same validation
 * and normalisation a PATCH gets). A fact the record confirms but that came from a weaker source gets the API as its
 * source (a provenance upgrade: written, not published). Results already posted from the record are not posted again.
 *
 * <p>The API does not say when a status took effect. A status change is dated with the record's
 * {@code lastUpdatePostDate} (the day ClinicalTrials.gov posted the update that carries it) when that is a full date,
 * else with the data refresh date ({@code asOf}).
 */
public final class StudyDiff {

    public static final String SOURCE_KIND = "ctgov-api-v2";

    private static final StatusTransitionPolicy POLICY = new StatusTransitionPolicy();

    private StudyDiff() {
    }

    /**
     * @param postedResultIdentities {@link ResultsExtractor#identity} of every result already posted from the registry
     * @param provenance             the factSources entry for each fact this record sets
     */
    public static SyncPlan plan(Trial trial, CtgovStudy study, Set<String> postedResultIdentities,
                                Map<String, Object> provenance) {
        String asOf = String.valueOf(provenance.get("asOf"));
        Map<String, Object> sources = new LinkedHashMap<>();
        var newStatus = study.overallStatus() != trial.overallStatus ? study.overallStatus() : null;
        String reason = null;
        boolean correction = false;
        List<TransitionRule> overridden = List.of();
        if (newStatus != null) {
            JsonNode why = study.facts().get(TrialField.WHY_STOPPED);
            String reported = why != null && why.isTextual() ? why.asText().strip() : null;
            reason = reported != null ? reported : "reported by ClinicalTrials.gov";
            overridden = POLICY.violations(trial.overallStatus, newStatus, reason, false);
            if (!overridden.isEmpty()) {
                correction = true;
                reason = reason + " (recorded from ClinicalTrials.gov although a curator could not make this change: "
                        + String.join(", ", overridden.stream().map(Enum::name).toList()) + ")";
            }
            sources.put("overallStatus", provenance);
        } else if (!fromApi(trial, "overallStatus")) {
            sources.put("overallStatus", provenance);
        }
        Map<TrialField, JsonNode> fields = new LinkedHashMap<>();
        for (Map.Entry<TrialField, JsonNode> e : study.facts().entrySet()) {
            TrialField field = e.getKey();
            JsonNode current = field.read(trial);
            JsonNode reported = normalised(field, e.getValue());
            if (!Objects.equals(current, reported)) {
                fields.put(field, reported);
                sources.put(field.jsonName(), provenance);
            } else if (!reported.isNull() && !fromApi(trial, field.jsonName())) {
                sources.put(field.jsonName(), provenance);
            }
        }
        List<PostedResult> results = study.results().stream()
                .filter(r -> !postedResultIdentities.contains(ResultsExtractor.identity(r.source()))).toList();
        if (newStatus == null && fields.isEmpty() && results.isEmpty() && sources.isEmpty()) {
            return SyncPlan.nothing();
        }
        return new SyncPlan(newStatus, newStatus == null ? null : effectiveDate(study, asOf), reason, correction, overridden, fields, results, sources);
    }

    /** The field-level differences between two readings of a record (for version diffs), in field-name order. */
    public static List<org.trialwatch.events.FieldChange> between(CtgovStudy a, CtgovStudy b) {
        Map<String, JsonNode> before = a.factsByName();
        Map<String, JsonNode> after = b.factsByName();
        java.util.TreeSet<String> names = new java.util.TreeSet<>(before.keySet());
        names.addAll(after.keySet());
        List<org.trialwatch.events.FieldChange> out = new java.util.ArrayList<>();
        JsonNode missing = com.fasterxml.jackson.databind.node.NullNode.getInstance();
        for (String name : names) {
            JsonNode from = before.getOrDefault(name, missing);
            JsonNode to = after.getOrDefault(name, missing);
            if (!from.equals(to)) {
                out.add(new org.trialwatch.events.FieldChange(name, from, to));
            }
        }
        int resultsBefore = a.results().size();
        int resultsAfter = b.results().size();
        if (resultsBefore != resultsAfter) {
            var f = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance;
            out.add(new org.trialwatch.events.FieldChange("postedResults", f.numberNode(resultsBefore), f.numberNode(resultsAfter)));
        }
        return out;
    }

    private static java.time.LocalDate effectiveDate(CtgovStudy study, String asOf) {
        String posted = study.lastUpdatePostDate();
        String date = posted != null && posted.length() == 10 ? posted : asOf;
        try {
            return java.time.LocalDate.parse(date);
        } catch (java.time.format.DateTimeParseException e) {
            return null;
        }
    }

    private static JsonNode normalised(TrialField field, JsonNode value) {
        Trial scratch = new Trial();
        field.write(scratch, field.parse(value));
        return field.read(scratch);
    }

    private static boolean fromApi(Trial trial, String field) {
        Object entry = trial.factSources == null ? null : trial.factSources.get(field);
        return entry instanceof Map<?, ?> m && SOURCE_KIND.equals(m.get("sourceKind"));
    }
}
