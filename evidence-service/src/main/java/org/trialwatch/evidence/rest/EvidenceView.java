package org.trialwatch.evidence.rest;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import org.trialwatch.evidence.domain.catalog.Cell;
import org.trialwatch.evidence.domain.catalog.EvidenceRow;
import org.trialwatch.evidence.persistence.EvidenceStore;

/**
 * An evidence row as served: full provenance, each column with the value as read beside the raw printed value (and
 * why they differ), the row's notes, and the groups it falls in with why.
 */
public record EvidenceView(String id, String kind, String citation, Integer table, Integer row, String textFigureId,
                           List<Integer> refs, String authors, Integer year, String section,
                           Map<String, CellView> columns, List<String> results, List<String> notes, List<String> nctIds,
                           String sourceText, List<GroupRef> groups) {

    public record GroupRef(String groupKey, String why) {
    }

    /** A cell as served: the value as read beside the raw printed value (JSON values), and why they differ. */
    @Schema(name = "Cell")
    public record CellView(Object value, Object raw, boolean corrected, String correctionReason, String confidence,
                           String errorOrigin, String source, String measureInSource, Double publishedMedianOs,
                           String population, Integer randomised, String discrepancy) {

        static CellView of(Cell c) {
            return new CellView(c.value(), c.raw(), c.corrected(), c.correctionReason(), c.confidence(),
                    c.errorOrigin(), c.source(), c.measureInSource(), c.publishedMedianOs(), c.population(),
                    c.randomised(), c.discrepancy());
        }
    }

    static EvidenceView of(EvidenceRow r, List<EvidenceStore.MemberRef> groups) {
        return new EvidenceView(r.id(), r.kind().slug(), r.citation(), r.table(), r.row(), r.textFigureId(), r.refs(),
                r.authors(), r.year(), r.section(), columns(r.columns()), r.results(), r.notes(), r.nctIds(), r.ocrText(),
                groups.stream().map(g -> new GroupRef(g.groupKey(), g.why())).toList());
    }

    private static Map<String, CellView> columns(Map<String, Cell> cells) {
        Map<String, CellView> out = new LinkedHashMap<>();
        cells.forEach((name, cell) -> out.put(name, CellView.of(cell)));
        return out;
    }
}
