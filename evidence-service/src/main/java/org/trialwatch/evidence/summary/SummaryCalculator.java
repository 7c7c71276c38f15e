package org.trialwatch.evidence.summary;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.trialwatch.evidence.catalog.EvidenceCatalog;
import org.trialwatch.evidence.catalog.EvidenceRow;
import org.trialwatch.evidence.catalog.SourceKind;
import org.trialwatch.evidence.stats.ProportionMeta;
import org.trialwatch.evidence.stats.WilsonInterval;
import org.trialwatch.evidence.summary.SummaryContent.Evidence;
import org.trialwatch.evidence.summary.SummaryContent.Flag;
import org.trialwatch.evidence.summary.SummaryContent.Interval;
import org.trialwatch.evidence.summary.SummaryContent.MedianOs;
import org.trialwatch.evidence.summary.SummaryContent.Orr;
import org.trialwatch.evidence.summary.SummaryContent.OrrReadout;
import org.trialwatch.evidence.summary.SummaryContent.Pooled;
import org.trialwatch.evidence.summary.SummaryContent.RowRef;
import org.trialwatch.evidence.summary.SummaryContent.TrialRef;
import org.trialwatch.evidence.summary.SummaryContent.Value;

/** Computes a group's summary from its members. Pure: same inputs, same summary (ADR 0102). */
public final class SummaryCalculator {

    public static final String NOT_VERIFIED = "NOT_VERIFIED";
    public static final Set<String> STOPPED_EARLY = Set.of("TERMINATED", "WITHDRAWN", "SUSPENDED");
    /** The flags made from the member trials, after the rows' flags and in this order (V2 migration's summary_content). */
    public static final String TERMINATED_EARLY = "terminated-early";
    public static final String RESULTS_NOT_YET_POSTED = "results-not-yet-posted";
    public static final String TERMINATED_EARLY_DETAIL = "a tracked trial stopped before completion";

    private final EvidenceCatalog catalog;
    private final int smallN;
    private final Set<Integer> refsWithComparator;

    /** @param smallN a study with fewer patients than this is flagged small-n */
    public SummaryCalculator(EvidenceCatalog catalog, int smallN) {
        this.catalog = catalog;
        this.smallN = smallN;
        this.refsWithComparator = new java.util.HashSet<>();
        for (EvidenceRow r : catalog.rows()) {
            if (r.kind() == SourceKind.TEXT_FIGURE && !r.cell("comparator_value").value().isNull()) {
                refsWithComparator.addAll(r.refs());
            }
        }
    }

    public SummaryContent compute(GroupInputs in) {
        List<GroupInputs.RowMember> rows = in.rows().stream()
                .sorted(Comparator.comparingInt(m -> m.row().ordinal())).toList();
        List<GroupInputs.TrialMember> trials = in.trials().stream()
                .sorted(Comparator.comparing(GroupInputs.TrialMember::nctId)).toList();

        Map<String, Integer> byStatus = new TreeMap<>();
        for (GroupInputs.TrialMember t : trials) {
            byStatus.merge(t.status() == null ? NOT_VERIFIED : t.status(), 1, Integer::sum);
        }
        return new SummaryContent(in.key().text(), in.key().tumourType(), in.key().line(), in.key().therapyClass(),
                in.key().target(), evidence(rows), medianOs(rows, trials), orr(rows, trials), byStatus,
                rows.stream().map(m -> new RowRef(m.row().id(), m.row().citation(), m.why())).toList(),
                trials.stream().map(t -> new TrialRef(t.nctId(), t.status() == null ? NOT_VERIFIED : t.status(),
                        !t.results().isEmpty(), t.whyStopped(), t.why())).toList(),
                flags(rows, trials));
    }

    private Evidence evidence(List<GroupInputs.RowMember> rows) {
        Map<Integer, EvidenceRow> largestPerRef = new LinkedHashMap<>();
        int tableRows = 0;
        for (GroupInputs.RowMember m : rows) {
            EvidenceRow r = m.row();
            if (!r.isTable()) {
                continue;
            }
            tableRows++;
            Integer n = r.cell("n_enrolled").patients();
            if (n == null) {
                continue;
            }
            largestPerRef.merge(r.refs().get(0), r,
                    (a, b) -> a.cell("n_enrolled").patients() >= n ? a : b);
        }
        Integer total = largestPerRef.isEmpty() ? null
                : largestPerRef.values().stream().mapToInt(r -> r.cell("n_enrolled").patients()).sum();
        return new Evidence(rows.size(), tableRows, total,
                largestPerRef.values().stream().map(EvidenceRow::id).toList(),
                "sum of the printed N over table rows, each reference counted once (largest N); a row's notes say when "
                        + "its N is not the number enrolled (e.g. the number screened)");
    }

    private MedianOs medianOs(List<GroupInputs.RowMember> rows, List<GroupInputs.TrialMember> trials) {
        List<Value> values = new ArrayList<>();
        for (GroupInputs.RowMember m : rows) {
            EvidenceRow r = m.row();
            if (r.isTable()) {
                Double v = r.cell("median_os_months").number();
                if (v != null) {
                    values.add(new Value(v, r.id(), r.citation(), "median OS (table column)", r.notes()));
                }
            } else if (r.kind() == SourceKind.TEXT_FIGURE) {
                String endpoint = r.cell("endpoint").text();
                Double v = r.cell("value").number();
                if (v != null && endpoint != null && endpoint.toLowerCase(Locale.ROOT).startsWith("median os")
                        && "months".equals(r.cell("units").text())) {
                    values.add(new Value(v, r.id(), r.citation(), endpoint, r.notes()));
                }
            }
        }
        for (GroupInputs.TrialMember t : trials) {
            for (PostedReadout p : t.results()) {
                if ("OS".equals(p.endpoint()) && p.value() != null) {
                    values.add(new Value(p.value().doubleValue(), t.nctId() + " event " + p.eventId(),
                            t.nctId() + " posted result" + (p.arm() == null ? "" : " (" + p.arm() + ")") + ": " + p.source(),
                            "median OS posted for the trial", List.of()));
                }
            }
        }
        if (values.isEmpty()) {
            return null;
        }
        Value best = values.stream().max(Comparator.comparingDouble(Value::months)).orElseThrow();
        double low = values.stream().mapToDouble(Value::months).min().orElseThrow();
        return new MedianOs(best, low, best.months(), values);
    }

    private Orr orr(List<GroupInputs.RowMember> rows, List<GroupInputs.TrialMember> trials) {
        List<OrrReadout> readouts = new ArrayList<>();
        for (GroupInputs.RowMember m : rows) {
            EvidenceRow r = m.row();
            if (r.kind() != SourceKind.TEXT_FIGURE) {
                continue;
            }
            String endpoint = r.cell("endpoint").text();
            Double percent = r.cell("value").number();
            if (endpoint == null || !endpoint.startsWith("ORR") || percent == null || !"%".equals(r.cell("units").text())) {
                continue;
            }
            EvidenceRow nRow = singleArmRowBehind(r);
            Integer n = nRow == null ? null : nRow.cell("n_enrolled").patients();
            String nFrom = nRow == null ? null : nRow.citation() + " prints N = " + n + " for the same study";
            readouts.add(new OrrReadout(r.id(), round2(percent), n, nFrom, wilson(percent, n), "ref " + r.refsText(),
                    r.id(), r.citation(), endpoint, r.notes()));
        }
        for (GroupInputs.TrialMember t : trials) {
            for (PostedReadout p : t.results()) {
                if (!"ORR".equals(p.endpoint()) || p.value() == null) {
                    continue;
                }
                double percent = p.value().doubleValue();
                readouts.add(new OrrReadout(t.nctId() + ":" + p.eventId() + ":" + (p.arm() == null ? "" : p.arm()),
                        round2(percent), p.n(), p.n() == null ? null : "n posted with the result",
                        wilson(percent, p.n()), t.nctId(), t.nctId() + " event " + p.eventId(),
                        t.nctId() + " posted result" + (p.arm() == null ? "" : " (" + p.arm() + ")") + ": " + p.source(),
                        "ORR", List.of()));
            }
        }
        if (readouts.isEmpty()) {
            return null;
        }
        Map<String, OrrReadout> perStudy = new LinkedHashMap<>();
        for (OrrReadout o : readouts) {
            if (o.n() == null) {
                continue;
            }
            perStudy.merge(o.study(), o, (kept, candidate) -> decimals(candidate.percent()) > decimals(kept.percent())
                    || candidate.study().startsWith("NCT") ? candidate : kept);
        }
        Pooled pooled = null;
        String note;
        if (perStudy.size() >= 2) {
            List<ProportionMeta.Proportion> props = perStudy.values().stream()
                    .map(o -> new ProportionMeta.Proportion(o.percent() / 100, o.n())).toList();
            ProportionMeta.Result r = ProportionMeta.pool(props);
            pooled = new Pooled(round2(r.estimate() * 100), new Interval(round2(r.lower() * 100), round2(r.upper() * 100)),
                    round2(r.i2() * 100), round4(r.tau2()), r.k(),
                    perStudy.values().stream().map(o -> o.study() + " (" + o.from() + ")").toList(),
                    "DerSimonian–Laird random effects on the logit scale; one reading per study");
            note = "pooled over " + r.k() + " studies with a known N";
        } else {
            note = "not pooled: " + perStudy.size() + " study with a known N (two or more needed)";
        }
        return new Orr(readouts, pooled, note);
    }

    /**
     * The one table row that prints the N behind a text figure: it cites the figure's single reference, prints an N,
     * and is single-arm as far as the review shows. For a comparative study the N covers all arms and no arm size is
     * printed, so the figure keeps no N rather than a wrong one.
     */
    private EvidenceRow singleArmRowBehind(EvidenceRow figure) {
        if (figure.refs().size() != 1) {
            return null;
        }
        List<EvidenceRow> candidates = catalog.tableRowsCiting(figure.refs().get(0)).stream()
                .filter(r -> r.cell("n_enrolled").patients() != null && isSingleArm(r)).toList();
        return candidates.size() == 1 ? candidates.get(0) : null;
    }

    /** Inferred: the phase is below III and no running-text figure of the same reference reports a comparator. */
    boolean isSingleArm(EvidenceRow tableRow) {
        String phase = tableRow.cell("phase").text();
        if (phase != null && phase.contains("III")) {
            return false;
        }
        return !refsWithComparator.contains(tableRow.refs().get(0));
    }

    private List<Flag> flags(List<GroupInputs.RowMember> rows, List<GroupInputs.TrialMember> trials) {
        List<Flag> flags = new ArrayList<>();
        List<String> singleArm = new ArrayList<>();
        List<String> small = new ArrayList<>();
        for (GroupInputs.RowMember m : rows) {
            EvidenceRow r = m.row();
            Integer n = r.isTable() ? r.cell("n_enrolled").patients() : null;
            if (n == null) {
                continue;
            }
            if (isSingleArm(r)) {
                singleArm.add(r.id());
            }
            if (n < smallN) {
                small.add(r.id());
            }
        }
        if (!singleArm.isEmpty()) {
            flags.add(new Flag("single-arm", "no comparator: inferred from a phase below III and no comparator figure "
                    + "for the same reference in the review", singleArm));
        }
        if (!small.isEmpty()) {
            flags.add(new Flag("small-n", "fewer than " + smallN + " patients", small));
        }
        List<String> stopped = trials.stream().filter(t -> t.status() != null && STOPPED_EARLY.contains(t.status()))
                .map(t -> t.nctId() + " " + t.status()).toList();
        if (!stopped.isEmpty()) {
            flags.add(terminatedEarly(stopped));
        }
        List<String> noResults = trials.stream().filter(t -> t.results().isEmpty()).map(GroupInputs.TrialMember::nctId).toList();
        if (!noResults.isEmpty()) {
            flags.add(new Flag(RESULTS_NOT_YET_POSTED, "tracked trials with no posted results", noResults));
        }
        return flags;
    }

    /** The terminated-early flag over members listed as "NCT id STATUS", by NCT id. */
    public static Flag terminatedEarly(List<String> members) {
        return new Flag(TERMINATED_EARLY, TERMINATED_EARLY_DETAIL, members);
    }

    private static Interval wilson(double percent, Integer n) {
        if (n == null || n < 1 || percent < 0 || percent > 100) {
            return null;
        }
        WilsonInterval.Interval ci = WilsonInterval.of(percent / 100, n);
        return new Interval(round2(ci.lower() * 100), round2(ci.upper() * 100));
    }

    private static int decimals(double v) {
        return Math.max(0, BigDecimal.valueOf(v).stripTrailingZeros().scale());
    }

    static double round2(double v) {
        return BigDecimal.valueOf(v).setScale(2, RoundingMode.HALF_UP).doubleValue();
    }

    static double round4(double v) {
        return BigDecimal.valueOf(v).setScale(4, RoundingMode.HALF_UP).doubleValue();
    }
}
