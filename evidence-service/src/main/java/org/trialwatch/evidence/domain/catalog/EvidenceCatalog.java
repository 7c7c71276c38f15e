package org.trialwatch.evidence.domain.catalog;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The review's evidence, immutable once read. It answers the cross-row questions the grouping and the statistics ask:
 * which rows share a reference, which rows name a trial, which ORR figure has a patient count behind it.
 */
public final class EvidenceCatalog {

    /** The review's tables, by number. */
    public static final List<Integer> TABLES = List.of(1, 2, 3, 4, 5);

    private final List<EvidenceRow> rows;
    private final Map<String, EvidenceRow> byId;
    private final Map<Integer, List<EvidenceRow>> tableRowsByRef;

    public EvidenceCatalog(List<EvidenceRow> rows) {
        this.rows = rows.stream().sorted(Comparator.comparingInt(EvidenceRow::ordinal)).toList();
        this.byId = new LinkedHashMap<>();
        this.rows.forEach(r -> byId.put(r.id(), r));
        this.tableRowsByRef = this.rows.stream().filter(EvidenceRow::isTable)
                .collect(Collectors.groupingBy(r -> r.refs().get(0), LinkedHashMap::new, Collectors.toList()));
    }

    public List<EvidenceRow> rows() {
        return rows;
    }

    public Optional<EvidenceRow> find(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    public List<EvidenceRow> table(int table) {
        return rows.stream().filter(r -> r.isTable() && r.table() == table).toList();
    }

    public long count(SourceKind kind) {
        return rows.stream().filter(r -> r.kind() == kind).count();
    }

    /** Table rows citing exactly this reference number. */
    public List<EvidenceRow> tableRowsCiting(int ref) {
        return tableRowsByRef.getOrDefault(ref, List.of());
    }

    /** Rows (tables and NCT mentions) that name this trial. */
    public List<EvidenceRow> rowsNaming(String nctId) {
        List<EvidenceRow> out = new ArrayList<>();
        for (EvidenceRow r : rows) {
            if (r.nctIds().contains(nctId)) {
                out.add(r);
            }
        }
        return out;
    }
}
