package org.trialwatch.evidence.rest;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;


import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.trialwatch.evidence.domain.catalog.Cell;
import org.trialwatch.evidence.domain.catalog.EvidenceRow;
import org.trialwatch.evidence.domain.catalog.SourceKind;
import org.trialwatch.evidence.domain.grouping.GroupClassifier;
import org.trialwatch.evidence.domain.grouping.GroupKey;
import org.trialwatch.evidence.persistence.EvidenceStore;
import org.trialwatch.support.problem.FieldError;
import org.trialwatch.evidence.domain.catalog.EvidenceCatalog;

/** The review's evidence rows, filterable, as JSON or as CSV for researchers. */
@Path("/api/evidence")
public class EvidenceResource {

    /**
     * The same envelope as every other list ({@code items}, {@code next}, {@code limit}); the rows all fit on one page,
     * so {@code next} is always null. {@code rows} repeats {@code items} for clients written before the envelope was
     * made consistent: deprecated, to be removed.
     */
    public record EvidenceList(List<EvidenceView> items, String next, int limit, int count,
                               @Schema(deprecated = true, description = "the same as items; deprecated")
                               List<EvidenceView> rows) {

        static EvidenceList of(List<EvidenceView> views) {
            return new EvidenceList(views, null, views.size(), views.size(), views);
        }
    }

    static final MediaType CSV = new MediaType("text", "csv", "UTF-8");

    /** Writes a cell's JSON value as the seed's JSON text (a plain mapper, as the seed was read). */
    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private final EvidenceStore store;

    public EvidenceResource(EvidenceStore store) {
        this.store = store;
    }

    @GET
    @Produces({MediaType.APPLICATION_JSON, "text/csv"})
    @Operation(summary = "Evidence rows with full provenance; ?table=N reproduces Table N of the review row for row. "
            + "Accept: text/csv gives the same rows as CSV (each column as read, as printed (_raw), correction reason, "
            + "confidence, error origin, source, discrepancy; and the OCR line)")
    public Response list(
            @Parameter(description = "1–5: rows of that table, in the review's order") @QueryParam("table") String table,
            @Parameter(description = "table | text-figure | nct-mention") @QueryParam("source") String source,
            @Parameter(description = "BTC or PC") @QueryParam("tumourType") String tumourType,
            @Parameter(description = "rows naming this NCT id") @QueryParam("nctId") String nctId,
            @Parameter(description = "rows citing this reference number") @QueryParam("ref") String ref,
            @Parameter(description = "rows in this group") @QueryParam("groupKey") String groupKey,
            @Parameter(description = "text-figure category, e.g. efficacy") @QueryParam("category") String category,
            @Context HttpHeaders headers) {
        List<EvidenceView> views = find(table, source, tumourType, Params.canonicalNctId(nctId), ref, groupKey, category);
        if (wantsCsv(headers.getAcceptableMediaTypes())) {
            return Response.ok(csv(views), CSV).build();
        }
        return Response.ok(EvidenceList.of(views), MediaType.APPLICATION_JSON_TYPE).build();
    }

    /** CSV only when asked for explicitly: a client accepting anything gets JSON. */
    static boolean wantsCsv(List<MediaType> acceptable) {
        for (MediaType m : acceptable) {
            if (m.isCompatible(MediaType.APPLICATION_JSON_TYPE) && !m.isWildcardType()) {
                return false;
            }
            if (!m.isWildcardType() && m.isCompatible(CSV)) {
                return true;
            }
        }
        return false;
    }

    private static String csv(List<EvidenceView> views) {
        LinkedHashSet<String> columns = new LinkedHashSet<>();
        views.forEach(v -> columns.addAll(v.columns().keySet()));
        List<String> header = new ArrayList<>(List.of("id", "source", "table", "row", "text_figure_id", "refs",
                "authors", "year", "section"));
        for (String c : columns) {
            header.add(c);
            header.add(c + "_raw");
            header.add(c + "_correction_reason");
            header.add(c + "_confidence");
            header.add(c + "_error_origin");
            header.add(c + "_source");
            header.add(c + "_discrepancy");
        }
        header.addAll(List.of("results", "notes", "nct_ids", "groups", "ocr_line"));
        StringBuilder out = new StringBuilder();
        Csv.appendRecord(out, header);
        for (EvidenceView v : views) {
            List<String> fields = new ArrayList<>(List.of(v.id(), v.kind(), text(v.table()), text(v.row()),
                    text(v.textFigureId()), String.join(";", v.refs().stream().map(String::valueOf).toList()),
                    text(v.authors()), text(v.year()), text(v.section())));
            for (String c : columns) {
                EvidenceView.CellView cell = v.columns().get(c);
                fields.add(cell == null ? "" : json(cell.value()));
                fields.add(cell == null ? "" : json(cell.raw()));
                fields.add(cell == null ? "" : text(cell.correctionReason()));
                fields.add(cell == null ? "" : text(cell.confidence()));
                fields.add(cell == null ? "" : text(cell.errorOrigin()));
                fields.add(cell == null ? "" : text(cell.source()));
                fields.add(cell == null ? "" : discrepancy(cell));
            }
            fields.add(v.results() == null ? "" : String.join(" | ", v.results()));
            fields.add(String.join(" | ", v.notes()));
            fields.add(String.join(";", v.nctIds()));
            fields.add(String.join(";", v.groups().stream().map(EvidenceView.GroupRef::groupKey).toList()));
            fields.add(text(v.sourceText()));
            Csv.appendRecord(out, fields);
        }
        return out.toString();
    }

    private List<EvidenceView> find(String table, String source, String tumourType, String nctId, String ref,
                                    String groupKey, String category) {
        List<FieldError> errors = new ArrayList<>();
        Integer tableNo = null;
        if (table != null) {
            tableNo = Params.integer(table);
            if (tableNo == null || !EvidenceCatalog.TABLES.contains(tableNo)) {
                errors.add(new FieldError("table", "must be a table of the review: 1, 2, 3, 4 or 5 (was '" + table + "')"));
                tableNo = null;
            }
        }
        SourceKind kind = null;
        if (source != null) {
            kind = SourceKind.fromSlug(source);
            if (kind == null) {
                errors.add(new FieldError("source", "must be table, text-figure or nct-mention"));
            }
        }
        if (tumourType != null && !GroupClassifier.TUMOUR_TYPES.contains(tumourType)) {
            errors.add(new FieldError("tumourType", "must be BTC or PC"));
        }
        if (nctId != null && !Params.isNctId(nctId)) {
            errors.add(new FieldError("nctId", "must look like NCT followed by 8 digits"));
        }
        Integer refNo = null;
        if (ref != null) {
            refNo = Params.integer(ref);
            if (refNo == null || refNo < 1) {
                errors.add(new FieldError("ref", "must be a positive reference number"));
            }
        }
        if (groupKey != null && !GroupKey.isWellFormed(groupKey)) {
            errors.add(new FieldError("groupKey", "must be tumourType.line.therapyClass.target"));
        }
        if (!errors.isEmpty()) {
            throw ProblemMappers.badRequest(errors);
        }
        if (tableNo != null && kind == null) {
            kind = SourceKind.TABLE;
        }
        List<EvidenceRow> rows = store.find(new EvidenceStore.Filter(kind, tableNo, tumourType, nctId, refNo, groupKey, category));
        Map<String, List<EvidenceStore.MemberRef>> groups = store.groupsOfRows(rows.stream().map(EvidenceRow::id).toList());
        return rows.stream().map(r -> EvidenceView.of(r, groups.getOrDefault(r.id(), List.of()))).toList();
    }

    /** What a disputed cell really is, in one field: "median follow-up; published median OS 21.1: FIGHT-202 …". */
    private static String discrepancy(EvidenceView.CellView cell) {
        if (cell.measureInSource() == null && cell.population() == null) {
            return text(cell.discrepancy());
        }
        String what = cell.measureInSource() != null
                ? cell.measureInSource() + "; published median OS " + (cell.publishedMedianOs() == null ? "unknown"
                : java.math.BigDecimal.valueOf(cell.publishedMedianOs()).stripTrailingZeros().toPlainString())
                : cell.population() + "; randomised " + (cell.randomised() == null ? "unknown" : cell.randomised());
        return what + (cell.discrepancy() == null ? "" : ": " + cell.discrepancy());
    }

    private static String text(Object o) {
        return o == null ? "" : o.toString();
    }

    /** A JSON value in a CSV field: text as itself, anything else as its JSON. */
    private static String json(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof String s) {
            return s;
        }
        try {
            return JSON.writeValueAsString(value);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
