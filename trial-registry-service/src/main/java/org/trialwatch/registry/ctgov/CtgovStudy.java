package org.trialwatch.registry.ctgov;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import org.trialwatch.events.PostedResult;
import org.trialwatch.events.TrialStatus;
import org.trialwatch.registry.application.TrialField;
import org.trialwatch.registry.application.TrialInput;
import org.trialwatch.registry.domain.InvalidInputException;

/**
 * One ClinicalTrials.gov API v2 study record, read from its nested {@code protocolSection} modules into the registry's
 * own field names. Plain Java.
 *
 * <p>{@code facts} holds a value for each field the record speaks of; a field the record does not mention is absent
 * (the sync then leaves ours alone), except where the record's silence is itself the fact: no {@code whyStopped}
 * once a trial is no longer stopped, no {@code lastKnownStatus} once it is no longer UNKNOWN. A date or the enrollment
 * is read as a unit: a date without a type has type null (unknown).
 */
public record CtgovStudy(String nctId, TrialStatus overallStatus, Map<TrialField, JsonNode> facts,
                         List<PostedResult> results) {

    public CtgovStudy {
        facts = Map.copyOf(facts);
        results = List.copyOf(results);
    }

    /** The {@code fields=} parameter: only the modules this class reads. */
    public static final String FIELDS = String.join(",",
            "protocolSection.identificationModule",
            "protocolSection.statusModule",
            "protocolSection.sponsorCollaboratorsModule",
            "protocolSection.conditionsModule",
            "protocolSection.designModule",
            "protocolSection.armsInterventionsModule",
            "resultsSection.outcomeMeasuresModule",
            "hasResults");

    /** The record's last update date (yyyy-MM-dd) or null. */
    public String lastUpdatePostDate() {
        JsonNode v = facts.get(TrialField.LAST_UPDATE_POSTED);
        return v == null || v.isNull() ? null : v.asText();
    }

    /** Every fact including the status, keyed by the registry's JSON field names (for version diffs). */
    public Map<String, JsonNode> factsByName() {
        Map<String, JsonNode> out = new java.util.TreeMap<>();
        out.put("overallStatus", JsonNodeFactory.instance.textNode(overallStatus.name()));
        facts.forEach((field, value) -> out.put(field.jsonName(), value));
        return out;
    }

    /**
     * Reads a study. {@code sourceUrl} names the record in the results' {@code source}.
     *
     * @throws MalformedStudyException naming every problem, when the record cannot be read safely
     */
    public static CtgovStudy parse(JsonNode study, String sourceUrl) {
        List<String> problems = new ArrayList<>();
        JsonNode protocol = study == null ? NullNode.getInstance() : study.path("protocolSection");
        JsonNode idNode = protocol.path("identificationModule").path("nctId");
        String nctId = idNode.isTextual() && TrialInput.NCT_ID.matcher(idNode.asText()).matches() ? idNode.asText() : null;
        if (nctId == null) {
            throw new MalformedStudyException(null, List.of("protocolSection.identificationModule.nctId is missing or not an NCT number"));
        }
        JsonNode status = protocol.path("statusModule");
        TrialStatus overall = status(status.path("overallStatus"), "statusModule.overallStatus", problems, true);

        Map<TrialField, JsonNode> facts = new EnumMap<>(TrialField.class);
        JsonNode ident = protocol.path("identificationModule");
        put(facts, TrialField.BRIEF_TITLE, ident.get("briefTitle"));
        put(facts, TrialField.OFFICIAL_TITLE, ident.get("officialTitle"));
        put(facts, TrialField.ACRONYM, ident.get("acronym"));

        put(facts, TrialField.WHY_STOPPED, status.get("whyStopped"));
        if (!facts.containsKey(TrialField.WHY_STOPPED) && overall != null && !overall.isStopped()) {
            facts.put(TrialField.WHY_STOPPED, NullNode.getInstance());
        }
        if (status.hasNonNull("lastKnownStatus")) {
            status(status.path("lastKnownStatus"), "statusModule.lastKnownStatus", problems, false);
            put(facts, TrialField.LAST_KNOWN_STATUS, status.get("lastKnownStatus"));
        } else if (overall != null && overall != TrialStatus.UNKNOWN) {
            facts.put(TrialField.LAST_KNOWN_STATUS, NullNode.getInstance());
        }
        dateStruct(facts, status.path("startDateStruct"), TrialField.START_DATE, TrialField.START_DATE_TYPE);
        dateStruct(facts, status.path("primaryCompletionDateStruct"), TrialField.PRIMARY_COMPLETION_DATE,
                TrialField.PRIMARY_COMPLETION_DATE_TYPE);
        dateStruct(facts, status.path("completionDateStruct"), TrialField.COMPLETION_DATE, TrialField.COMPLETION_DATE_TYPE);
        put(facts, TrialField.LAST_UPDATE_POSTED, status.path("lastUpdatePostDateStruct").get("date"));

        put(facts, TrialField.SPONSOR, protocol.path("sponsorCollaboratorsModule").path("leadSponsor").get("name"));
        put(facts, TrialField.CONDITIONS, protocol.path("conditionsModule").get("conditions"));

        JsonNode design = protocol.path("designModule");
        put(facts, TrialField.PHASES, design.get("phases"));
        JsonNode enrollment = design.path("enrollmentInfo");
        if (enrollment.isObject()) {
            facts.put(TrialField.ENROLLMENT_COUNT, orNull(enrollment.get("count")));
            facts.put(TrialField.ENROLLMENT_TYPE, orNull(enrollment.get("type")));
        }
        JsonNode interventions = protocol.path("armsInterventionsModule").path("interventions");
        if (interventions.isArray()) {
            Set<String> names = new LinkedHashSet<>();
            for (JsonNode i : interventions) {
                if (i.path("name").isTextual() && !i.path("name").asText().isBlank()) {
                    names.add(i.path("name").asText().strip());
                } else {
                    problems.add("armsInterventionsModule.interventions[]: an intervention without a name");
                }
            }
            ArrayNode list = JsonNodeFactory.instance.arrayNode();
            names.forEach(list::add);
            facts.put(TrialField.INTERVENTIONS, list);
        }
        if (study.has("hasResults")) {
            facts.put(TrialField.HAS_RESULTS, orNull(study.get("hasResults")));
        }

        for (Map.Entry<TrialField, JsonNode> e : facts.entrySet()) {
            try {
                e.getKey().parse(e.getValue());
            } catch (InvalidInputException invalid) {
                invalid.errors().forEach(err -> problems.add(err.field() + " " + err.reason()));
            }
        }
        List<PostedResult> results = List.of();
        JsonNode outcomes = study.path("resultsSection").path("outcomeMeasuresModule");
        if (outcomes.isObject()) {
            results = ResultsExtractor.extract(outcomes, sourceUrl);
        }
        if (!problems.isEmpty()) {
            throw new MalformedStudyException(nctId, problems);
        }
        return new CtgovStudy(nctId, overall, facts, results);
    }

    private static TrialStatus status(JsonNode node, String path, List<String> problems, boolean required) {
        if (node.isMissingNode() || node.isNull()) {
            if (required) {
                problems.add(path + " is missing");
            }
            return null;
        }
        try {
            return TrialStatus.valueOf(node.asText());
        } catch (IllegalArgumentException e) {
            problems.add(path + " '" + node.asText() + "' is not a ClinicalTrials.gov status");
            return null;
        }
    }

    private static void dateStruct(Map<TrialField, JsonNode> facts, JsonNode struct, TrialField date, TrialField type) {
        if (struct.isObject()) {
            facts.put(date, orNull(struct.get("date")));
            facts.put(type, orNull(struct.get("type")));
        }
    }

    private static void put(Map<TrialField, JsonNode> facts, TrialField field, JsonNode value) {
        if (value != null && !value.isMissingNode()) {
            facts.put(field, value);
        }
    }

    private static JsonNode orNull(JsonNode value) {
        return value == null || value.isMissingNode() ? NullNode.getInstance() : value;
    }
}
