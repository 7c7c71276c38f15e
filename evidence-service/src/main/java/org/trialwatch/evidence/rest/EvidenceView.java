package org.trialwatch.evidence.rest;

import java.util.List;
import java.util.Map;

import org.trialwatch.evidence.domain.catalog.Cell;
import org.trialwatch.evidence.domain.catalog.EvidenceRow;
import org.trialwatch.evidence.persistence.EvidenceStore;

/**
 * An evidence row as served: full provenance, each column with the value as read beside the raw printed value (and
 * why they differ), the row's notes, and the groups it falls in with why.
 */
public record EvidenceView(String id, String kind, String citation, Integer table, Integer row, String textFigureId,
                           List<Integer> refs, String authors, Integer year, String section,
                           Map<String, Cell> columns, List<String> results, List<String> notes, List<String> nctIds,
                           String sourceText, List<GroupRef> groups) {

    public record GroupRef(String groupKey, String why) {
    }

    static EvidenceView of(EvidenceRow r, List<EvidenceStore.MemberRef> groups) {
        return new EvidenceView(r.id(), r.kind().slug(), r.citation(), r.table(), r.row(), r.textFigureId(), r.refs(),
                r.authors(), r.year(), r.section(), r.columns(), r.results(), r.notes(), r.nctIds(), r.ocrText(),
                groups.stream().map(g -> new GroupRef(g.groupKey(), g.why())).toList());
    }
}
