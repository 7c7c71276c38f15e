package org.trialwatch.dashboard.web;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;

import com.fasterxml.jackson.databind.JsonNode;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.common.annotation.Blocking;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import org.trialwatch.dashboard.client.EvidenceClient;
import org.trialwatch.dashboard.client.EvidenceModel;
import org.trialwatch.dashboard.client.Json;
import org.trialwatch.dashboard.client.Pages;
import org.trialwatch.dashboard.client.RegistryClient;
import org.trialwatch.dashboard.client.RegistryModel;
import org.trialwatch.dashboard.config.DashboardConfig;

/** The tracked trials as a filterable, cursor-paged table, and one trial with its sources, timeline and evidence. */
@Path("/trials")
@Produces(MediaType.TEXT_HTML)
@Blocking
public class TrialsPage {

    /** The registry's status values, plus "not verified"; the order a person scans them in. */
    static final List<String> STATUSES = List.of("NOT_VERIFIED", "NOT_YET_RECRUITING", "RECRUITING",
            "ENROLLING_BY_INVITATION", "ACTIVE_NOT_RECRUITING", "SUSPENDED", "TERMINATED", "COMPLETED", "WITHDRAWN",
            "UNKNOWN");
    static final List<String> TUMOUR_TYPES = List.of("BTC", "PC");

    public record Filters(String tumourType, String status, String target, String therapyClass, String q) {

        /** The filters as a query string, for the next-page link. */
        public String query() {
            StringBuilder s = new StringBuilder();
            append(s, "tumourType", tumourType);
            append(s, "status", status);
            append(s, "target", target);
            append(s, "therapyClass", therapyClass);
            append(s, "q", q);
            return s.toString();
        }

        public boolean any() {
            return !query().isEmpty();
        }

        private static void append(StringBuilder s, String name, String value) {
            if (value != null) {
                s.append(s.isEmpty() ? "" : "&").append(name).append('=')
                        .append(java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8));
            }
        }
    }

    public record TrialList(Filters filters, List<RegistryModel.Trial> trials, String next, boolean firstPage,
                            List<String> statuses, List<String> tumourTypes, Set<String> therapyClasses) {
    }

    public record FieldRow(String label, String value, String sourceKind, String source, String cites, String asOf) {
    }

    public record DiffView(RegistryModel.Version from, RegistryModel.Version to, List<ChangeText> changes) {
    }

    public record ChangeText(String field, String from, String to) {
    }

    public record TrialDetail(RegistryModel.Trial trial, List<FieldRow> fields, List<RegistryModel.StatusChange> history,
                              List<RegistryModel.Version> versions, List<DiffView> diffs,
                              List<RegistryModel.PostedResult> results, EvidenceModel.TrialEvidence evidence) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance list(TrialList page);

        static native TemplateInstance trial(TrialDetail detail);
    }

    private final RegistryClient registry;
    private final EvidenceClient evidence;
    private final DashboardConfig config;

    public TrialsPage(@RestClient RegistryClient registry, @RestClient EvidenceClient evidence, DashboardConfig config) {
        this.registry = registry;
        this.evidence = evidence;
        this.config = config;
    }

    @GET
    public TemplateInstance list(@QueryParam("tumourType") String tumourType, @QueryParam("status") String status,
                                 @QueryParam("target") String target, @QueryParam("therapyClass") String therapyClass,
                                 @QueryParam("q") String q, @QueryParam("cursor") String cursor) {
        Filters filters = new Filters(blankToNull(tumourType), blankToNull(status), blankToNull(target),
                blankToNull(therapyClass), blankToNull(q));
        RegistryModel.TrialPage page = registry.list(filters.tumourType(), filters.status(), filters.target(),
                filters.therapyClass(), filters.q(), blankToNull(cursor), config.pageSize());
        Set<String> classes = new TreeSet<>();
        page.items().stream().map(RegistryModel.Trial::therapyClass).filter(c -> c != null).forEach(classes::add);
        return Templates.list(new TrialList(filters, page.items(), page.next(), blankToNull(cursor) == null, STATUSES,
                TUMOUR_TYPES, classes));
    }

    @GET
    @Path("{nctId}")
    public TemplateInstance trial(@PathParam("nctId") String nctId) {
        RegistryModel.Trial trial = registry.get(nctId);
        List<RegistryModel.StatusChange> history = Pages.all(c -> registry.history(nctId, c, Pages.MAX_LIMIT));
        List<RegistryModel.PostedResult> results = Pages.all(c -> registry.results(nctId, c, Pages.MAX_LIMIT));
        List<RegistryModel.Version> versions = Pages.all(c -> registry.versions(nctId, c, Pages.MAX_LIMIT));
        List<DiffView> diffs = new ArrayList<>();
        // the latest five consecutive pairs: older diffs are one click away in the registry's API
        for (int i = versions.size() - 1; i > 0 && diffs.size() < 5; i--) {
            RegistryModel.VersionDiff d = registry.diff(nctId, versions.get(i - 1).version(), versions.get(i).version());
            diffs.add(new DiffView(d.from(), d.to(), d.changes().stream()
                    .map(c -> new ChangeText(c.field(), Json.text(c.from()), Json.text(c.to()))).toList()));
        }
        EvidenceModel.TrialEvidence groups;
        try {
            groups = evidence.ofTrial(nctId);
        } catch (WebApplicationException e) {
            if (e.getResponse().getStatus() != 404) {
                throw e;
            }
            groups = new EvidenceModel.TrialEvidence(nctId, false, null, List.of(), List.of());
        }
        return Templates.trial(new TrialDetail(trial, fields(trial), history, versions, diffs, results, groups));
    }

    /** Each field beside where it came from: a ClinicalTrials.gov reading, a curator, or the review itself. */
    static List<FieldRow> fields(RegistryModel.Trial t) {
        Map<String, String[]> shown = new LinkedHashMap<>();
        shown.put("briefTitle", new String[] {"Brief title", t.briefTitle()});
        shown.put("officialTitle", new String[] {"Official title", t.officialTitle()});
        shown.put("acronym", new String[] {"Acronym", t.acronym()});
        shown.put("overallStatus", new String[] {"Overall status", Labels.statusLabel(t.overallStatus())});
        shown.put("whyStopped", new String[] {"Why stopped", t.whyStopped()});
        shown.put("tumourTypes", new String[] {"Tumour types", Labels.joined(t.tumourTypes())});
        shown.put("setting", new String[] {"Setting", t.setting()});
        shown.put("regimen", new String[] {"Regimen", t.regimen()});
        shown.put("mechanism", new String[] {"Mechanism / target", t.mechanism()});
        shown.put("therapyClass", new String[] {"Therapy class", t.therapyClass()});
        shown.put("phases", new String[] {"Phases", Labels.joined(t.phases())});
        shown.put("conditions", new String[] {"Conditions", Labels.joined(t.conditions())});
        shown.put("interventions", new String[] {"Interventions", Labels.joined(t.interventions())});
        shown.put("sponsor", new String[] {"Sponsor", t.sponsor()});
        shown.put("enrollmentCount", new String[] {"Enrolment", t.enrollmentCount() == null ? null
                : t.enrollmentCount() + (t.enrollmentType() == null ? "" : " (" + t.enrollmentType().toLowerCase() + ")")});
        shown.put("startDate", new String[] {"Start", dated(t.startDate(), t.startDateType())});
        shown.put("primaryCompletionDate", new String[] {"Primary completion",
                dated(t.primaryCompletionDate(), t.primaryCompletionDateType())});
        shown.put("completionDate", new String[] {"Completion", dated(t.completionDate(), t.completionDateType())});
        shown.put("lastUpdatePosted", new String[] {"Last update posted", t.lastUpdatePosted()});
        Map<String, JsonNode> sources = t.factSources() == null ? Map.of() : t.factSources();
        Set<String> fromReview = Set.of("tumourTypes", "setting", "regimen", "mechanism", "therapyClass");
        String reviewSection = t.reviewProvenance() == null ? null : Json.text(t.reviewProvenance().get("section"));
        List<FieldRow> rows = new ArrayList<>();
        for (Map.Entry<String, String[]> e : shown.entrySet()) {
            String value = e.getValue()[1];
            if (value == null || value.isBlank()) {
                if (!e.getKey().equals("overallStatus")) {
                    continue;
                }
            }
            JsonNode source = sources.get(e.getKey());
            if (source != null && source.isObject()) {
                rows.add(new FieldRow(e.getValue()[0], value, Json.text(source.get("sourceKind")),
                        Json.text(source.get("source")), Json.text(source.get("cites")), Json.text(source.get("asOf"))));
            } else if (fromReview.contains(e.getKey())) {
                rows.add(new FieldRow(e.getValue()[0], value, "review",
                        "Toledo, Deiana et al. 2024" + (reviewSection == null || reviewSection.isEmpty() ? ""
                                : ", section " + reviewSection), "", ""));
            } else {
                rows.add(new FieldRow(e.getValue()[0], value, "", "", "", ""));
            }
        }
        return rows;
    }

    private static String dated(String date, String type) {
        return date == null ? null : date + (type == null ? "" : " (" + type.toLowerCase() + ")");
    }

    static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
