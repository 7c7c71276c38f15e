package org.trialwatch.dashboard.web;

import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.common.annotation.Blocking;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import org.trialwatch.dashboard.client.EvidenceClient;
import org.trialwatch.dashboard.client.EvidenceModel;
import org.trialwatch.dashboard.plot.DotPlot;
import org.trialwatch.dashboard.plot.ForestPlot;

/**
 * Group summaries: the list, and one group with its forest plot of response rates (the evidence service's readouts,
 * intervals and pooled estimate, drawn, never recomputed), its median OS dot plot, certainty flags and history.
 */
@Path("/summaries")
@Produces(MediaType.TEXT_HTML)
@Blocking
public class SummariesPage {

    public record SummaryList(String tumourType, List<EvidenceModel.Summary> summaries, String next, boolean firstPage) {
    }

    public record SummaryDetail(EvidenceModel.Summary summary, ForestPlot forest, DotPlot os,
                                EvidenceModel.History history) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance list(SummaryList page);

        static native TemplateInstance summary(SummaryDetail detail);
    }

    private final EvidenceClient evidence;

    public SummariesPage(@RestClient EvidenceClient evidence) {
        this.evidence = evidence;
    }

    @GET
    public TemplateInstance list(@QueryParam("tumourType") String tumourType, @QueryParam("cursor") String cursor) {
        String tt = TrialsPage.blankToNull(tumourType);
        String c = TrialsPage.blankToNull(cursor);
        EvidenceModel.SummaryPage page = evidence.summaries(tt, null, 100, c);
        return Templates.list(new SummaryList(tt, page.items(), page.next(), c == null));
    }

    @GET
    @Path("{groupKey}")
    public TemplateInstance summary(@PathParam("groupKey") String groupKey) {
        EvidenceModel.Summary s = evidence.summary(groupKey);
        EvidenceModel.History history = evidence.history(groupKey);
        return Templates.summary(new SummaryDetail(s, forest(s), dots(s), history));
    }

    static ForestPlot forest(EvidenceModel.Summary s) {
        if (s.orr() == null || s.orr().readouts() == null || s.orr().readouts().isEmpty()) {
            return null;
        }
        List<ForestPlot.Study> studies = s.orr().readouts().stream().map(r -> new ForestPlot.Study(
                r.study() + " (" + r.id() + ")", r.percent(), r.ci95() == null ? null : r.ci95().lower(),
                r.ci95() == null ? null : r.ci95().upper(), r.n())).toList();
        EvidenceModel.Pooled p = s.orr().pooled();
        ForestPlot.Pooled pooled = p == null || p.ci95() == null ? null
                : new ForestPlot.Pooled(p.percent(), p.ci95().lower(), p.ci95().upper(), p.k(), p.i2Percent(), p.tau2());
        return ForestPlot.of(studies, pooled);
    }

    static DotPlot dots(EvidenceModel.Summary s) {
        if (s.medianOs() == null || s.medianOs().values() == null || s.medianOs().values().isEmpty()) {
            return null;
        }
        return DotPlot.of(s.medianOs().values().stream()
                .map(v -> new DotPlot.Value(v.citation(), v.months())).toList());
    }
}
