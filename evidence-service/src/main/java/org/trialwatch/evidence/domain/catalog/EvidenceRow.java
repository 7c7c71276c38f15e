package org.trialwatch.evidence.domain.catalog;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One piece of the review's evidence with its provenance. {@code columns} keeps the review's columns in the order the
 * seed prints them, each as a {@link Cell} (value as read beside the raw printed value); {@code sourceJson} is the
 * seed object verbatim (its JSON text), so nothing the seed says is lost.
 *
 * @param id          stable id: {@code T1-R1} (Table 1 row 1), {@code TF01} (text figure), {@code M-NCT05737706}
 * @param table       table number for table rows, else null
 * @param row         row number for table rows, else null
 * @param textFigureId {@code TF..} for text figures, else null
 * @param refs        the review's reference numbers
 * @param ordinal     position in the seed, for a stable listing order
 */
public record EvidenceRow(String id, SourceKind kind, Integer table, Integer row, String textFigureId,
                          List<Integer> refs, String authors, Integer year, String section,
                          Map<String, Cell> columns, List<String> results, List<String> notes, List<String> nctIds,
                          String ocrText, int ordinal, String sourceJson) {

    public EvidenceRow {
        columns = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(columns));
        refs = List.copyOf(refs);
        results = results == null ? null : List.copyOf(results);
        notes = List.copyOf(notes);
        nctIds = List.copyOf(nctIds);
    }

    /** A column's cell; an absent column is an unknown cell. */
    public Cell cell(String column) {
        Cell c = columns.get(column);
        return c != null ? c : Cell.unknown();
    }

    /** How a reader finds this row in the review: "Table 1 row 3", "text figure TF04", "NCT mention NCT05737706". */
    public String citation() {
        return switch (kind) {
            case TABLE -> "Table " + table + " row " + row;
            case TEXT_FIGURE -> "text figure " + textFigureId + " (section " + section + ")";
            case NCT_MENTION -> "NCT mention " + nctIds.get(0) + " (section " + section + ")";
        } + " [ref " + refsText() + "]";
    }

    public String refsText() {
        return String.join(",", refs.stream().map(String::valueOf).toList());
    }

    public boolean isTable() {
        return kind == SourceKind.TABLE;
    }
}
