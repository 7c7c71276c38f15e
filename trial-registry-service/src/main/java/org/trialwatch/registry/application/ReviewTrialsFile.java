package org.trialwatch.registry.application;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.trialwatch.events.TrialStatus;
import org.trialwatch.registry.persistence.Trial;

/**
 * Reads {@code seed/review-trials.json} (a copy of the team's reference data, see data/README.md) into trials.
 *
 * <p>Facts are taken exactly as given and nothing is filled by guess: the review's own fields (tumour types,
 * setting, regimen, mechanism, therapy class) from {@code review}; registry fields only where a dated registry reading
 * exists, each with its source kept in {@code factSources}; the status only where {@code status} is sourced. Weaker
 * readings (site pages, mirrors) are kept apart as {@code unverifiedReadings} and never become registry facts.
 */
public final class ReviewTrialsFile {

    public static final String RESOURCE = "seed/review-trials.json";

    /** Registry field names in the file → our field names. */
    private static final Map<String, String> REGISTRY_FIELDS = Map.ofEntries(
            Map.entry("brief_title", "briefTitle"),
            Map.entry("official_title", "officialTitle"),
            Map.entry("acronym", "acronym"),
            Map.entry("conditions", "conditions"),
            Map.entry("interventions", "interventions"),
            Map.entry("phases", "phases"),
            Map.entry("lead_sponsor", "sponsor"),
            Map.entry("enrollment", "enrollmentCount"),
            Map.entry("enrollment_type", "enrollmentType"),
            Map.entry("start_date", "startDate"),
            Map.entry("primary_completion_date", "primaryCompletionDate"),
            Map.entry("completion_date", "completionDate"),
            Map.entry("why_stopped", "whyStopped"),
            Map.entry("has_results", "hasResults"),
            Map.entry("last_update_posted", "lastUpdatePosted"),
            Map.entry("collaborators", "collaborators"),
            Map.entry("study_type", "studyType"),
            Map.entry("status_verified_date", "statusVerifiedDate"));

    private final ObjectMapper mapper;

    public ReviewTrialsFile(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    public List<Trial> read(InputStream json) throws IOException {
        JsonNode root = mapper.readTree(json);
        List<Trial> trials = new ArrayList<>();
        for (JsonNode node : root.path("trials")) {
            trials.add(toTrial(node));
        }
        return trials;
    }

    Trial toTrial(JsonNode node) {
        Trial t = new Trial();
        t.nctId = node.path("nctId").asText();
        JsonNode review = node.path("review");
        t.tumourTypes = strings(review.path("tumourTypes"));
        t.setting = text(review.path("setting"));
        t.regimen = text(review.path("regimen"));
        t.mechanism = text(review.path("mechanism"));
        t.therapyClass = text(review.path("therapyClass"));

        Map<String, Object> provenance = new LinkedHashMap<>();
        provenance.put("source", "Toledo, Deiana et al., Expert Rev Clin Pharmacol 2024;17(4):323-347");
        provenance.put("section", text(review.path("section")));
        provenance.put("refs", mapper.convertValue(review.path("refs"), List.class));
        provenance.put("table", text(review.path("table")));
        provenance.put("tableRow", review.path("tableRow").isNull() ? null : review.path("tableRow").asInt());
        provenance.put("phaseStated", text(review.path("phaseStated")));
        provenance.put("contexts", mapper.convertValue(review.path("contexts"), List.class));
        provenance.put("notes", mapper.convertValue(review.path("notes"), List.class));
        t.reviewProvenance = provenance;

        Map<String, Object> sources = new LinkedHashMap<>();
        Map<String, Object> otherRegistryFacts = new LinkedHashMap<>();
        node.path("registry").fields().forEachRemaining(e -> {
            String ours = REGISTRY_FIELDS.getOrDefault(e.getKey(), e.getKey());
            JsonNode fact = e.getValue();
            JsonNode value = fact.path("value");
            sources.put(ours, source(fact));
            switch (ours) {
                case "briefTitle" -> t.briefTitle = text(value);
                case "officialTitle" -> t.officialTitle = text(value);
                case "acronym" -> t.acronym = text(value);
                case "conditions" -> t.conditions = strings(value);
                case "interventions" -> t.interventions = strings(value);
                case "phases" -> t.phases = strings(value);
                case "sponsor" -> t.sponsor = text(value);
                case "enrollmentCount" -> t.enrollmentCount = value.isNull() ? null : value.asInt();
                case "enrollmentType" -> t.enrollmentType = text(value);
                case "startDate" -> t.startDate = text(value);
                case "primaryCompletionDate" -> t.primaryCompletionDate = text(value);
                case "completionDate" -> t.completionDate = text(value);
                case "whyStopped" -> t.whyStopped = text(value);
                case "hasResults" -> t.hasResults = value.isNull() ? null : value.asBoolean();
                case "lastUpdatePosted" -> t.lastUpdatePosted = text(value);
                default -> otherRegistryFacts.put(ours, mapper.convertValue(value, Object.class));
            }
        });
        JsonNode status = node.path("status");
        if (status.isObject() && !status.path("value").isNull()) {
            t.overallStatus = TrialStatus.valueOf(status.path("value").asText());
            sources.put("overallStatus", source(status));
        }
        if (!otherRegistryFacts.isEmpty()) {
            sources.put("otherRegistryFacts", otherRegistryFacts);
        }
        t.factSources = sources;

        List<Object> unverified = new ArrayList<>();
        if (node.path("statusObservations").size() > 0) {
            unverified.add(Map.of("kind", "statusObservations",
                    "readings", mapper.convertValue(node.path("statusObservations"), List.class)));
        }
        if (node.path("otherSourcedFacts").size() > 0) {
            unverified.add(Map.of("kind", "otherSourcedFacts",
                    "readings", mapper.convertValue(node.path("otherSourcedFacts"), Map.class)));
        }
        t.unverifiedReadings = unverified.isEmpty() ? null : unverified;
        return t;
    }

    private static Map<String, Object> source(JsonNode fact) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("asOf", text(fact.path("as_of")));
        s.put("sourceKind", text(fact.path("source_kind")));
        s.put("source", text(fact.path("source")));
        s.put("cites", text(fact.path("cites")));
        return s;
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() || n.isMissingNode() ? null : n.asText();
    }

    private static List<String> strings(JsonNode n) {
        if (n == null || !n.isArray()) {
            return null;
        }
        List<String> out = new ArrayList<>();
        n.forEach(x -> out.add(x.asText()));
        return List.copyOf(out);
    }
}
