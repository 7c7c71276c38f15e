package org.trialwatch.dashboard.web;

import java.util.LinkedHashSet;
import java.util.List;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.common.annotation.Blocking;
import org.eclipse.microprofile.rest.client.inject.RestClient;

import org.trialwatch.dashboard.client.EvidenceClient;
import org.trialwatch.dashboard.client.EvidenceModel;

/** The review's Tables 1–5 as printed, each corrected value beside the printed one, and each table as CSV. */
@Path("/evidence")
@Blocking
public class EvidencePage {

    static final List<Integer> TABLES = List.of(1, 2, 3, 4, 5);

    public record TableView(int table, List<Integer> tables, List<String> columns, List<EvidenceModel.EvidenceRow> rows,
                            long corrected) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance table(TableView view);
    }

    private final EvidenceClient evidence;

    public EvidencePage(@RestClient EvidenceClient evidence) {
        this.evidence = evidence;
    }

    @GET
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance table(@QueryParam("table") Integer table) {
        int t = table == null ? 1 : table;
        if (!TABLES.contains(t)) {
            throw new NotFoundException("the review has Tables 1 to 5");
        }
        List<EvidenceModel.EvidenceRow> rows = evidence.table(t).rows();
        LinkedHashSet<String> columns = new LinkedHashSet<>();
        rows.forEach(r -> columns.addAll(r.columns().keySet()));
        long corrected = rows.stream().flatMap(r -> r.columns().values().stream())
                .filter(EvidenceModel.Cell::corrected).count();
        return Templates.table(new TableView(t, TABLES, List.copyOf(columns), rows, corrected));
    }

    /** The evidence service's own CSV, passed through unchanged, as a file download. */
    @GET
    @Path("table-{table}.csv")
    @Produces("text/csv")
    public Response csv(@PathParam("table") int table) {
        if (!TABLES.contains(table)) {
            throw new NotFoundException("the review has Tables 1 to 5");
        }
        return Response.ok(evidence.tableCsv(table), new MediaType("text", "csv", "UTF-8"))
                .header("Content-Disposition", "attachment; filename=\"trialwatch-table-" + table + ".csv\"").build();
    }
}
