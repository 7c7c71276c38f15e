package org.trialwatch.evidence.domain.summary;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import org.trialwatch.events.TrialStatus;
import org.trialwatch.evidence.domain.catalog.Cell;
import org.trialwatch.evidence.domain.catalog.EvidenceCatalog;
import org.trialwatch.evidence.domain.catalog.EvidenceRow;
import org.trialwatch.evidence.domain.catalog.SourceKind;
import org.trialwatch.evidence.domain.grouping.GroupClassifier;
import org.trialwatch.evidence.domain.stats.ProportionMeta;
import org.trialwatch.evidence.domain.stats.WilsonInterval;
import org.trialwatch.evidence.domain.summary.SummaryContent.Evidence;
import org.trialwatch.evidence.domain.summary.SummaryContent.Flag;
import org.trialwatch.evidence.domain.summary.SummaryContent.Interval;
import org.trialwatch.evidence.domain.summary.SummaryContent.LeftOut;
import org.trialwatch.evidence.domain.summary.SummaryContent.MedianOs;
import org.trialwatch.evidence.domain.summary.SummaryContent.Orr;
import org.trialwatch.evidence.domain.summary.SummaryContent.OrrReadout;
import org.trialwatch.evidence.domain.summary.SummaryContent.PatientCount;
import org.trialwatch.evidence.domain.summary.SummaryContent.Pooled;
import org.trialwatch.evidence.domain.summary.SummaryContent.RowRef;
import org.trialwatch.evidence.domain.summary.SummaryContent.TrialRef;
import org.trialwatch.evidence.domain.summary.SummaryContent.Value;

/**
 * Computes a group's summary from its members. Pure: same inputs, same summary (ADR 0102). A summary uses a number only
 * as the measure it is: cells the data marks as another measure or population are listed with what they are and left
 * out of best, range, total and pooled figures, with why (ADR 0104).
 */
public final class SummaryCalculator {

    public static final String NOT_VERIFIED = "NOT_VERIFIED";
    /** The flags made from the member trials, after the rows' flags and in this order (V2 migration's summary_content). */
    public static final String TERMINATED_EARLY = "terminated-early";
    public static final String RESULTS_NOT_YET_POSTED = "results-not-yet-posted";
    public static final String TERMINATED_EARLY_DETAIL = "a tracked trial stopped before completion";
    public static final String MIXED_POPULATION = "mixed-population";

    static final String MEDIAN_OS = "median OS";
    static final String ROUNDING = "rounded half up to a whole patient";

    private final EvidenceCatalog catalog;
    private final int smallN;
    private final Set<Integer> refsWithComparator;

    /** @param smallN a study with fewer patients than this is flagged small-n */
    public SummaryCalculator(EvidenceCatalog catalog, int smallN) {
        this.catalog = catalog;
        this.smallN = smallN;
        this.refsWithComparator = new HashSet<>();
        for (EvidenceRow r : catalog.rows()) {
            if (r.kind() == SourceKind.TEXT_FIGURE && !r.cell("comparator_value").isUnknown()) {
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
                flags(in.key().tumourType(), rows, trials));
    }

    /** A table row's N as a study's patients: its cohorts, what they measure, and (if disputed) why. */
    private record StudyN(EvidenceRow row, List<Integer> cohorts, String measure) {
        int total() {
            return cohorts.stream().mapToInt(Integer::intValue).sum();
        }
    }

    /**
     * The N of a table row that may be counted as patients: the printed N when it is the number enrolled; the study's
     * randomised N (from the data) when the printed one is another population; nothing when that is not known.
     */
    static StudyN countable(EvidenceRow r) {
        Cell c = r.cell("n_enrolled");
        if (c.disputed()) {
            return c.randomised() == null ? null
                    : new StudyN(r, List.of(c.randomised()), "randomised (the study's own figure; printed N is "
                    + c.population() + ")");
        }
        List<Integer> cohorts = c.cohorts();
        return cohorts.isEmpty() ? null : new StudyN(r, cohorts, "enrolled (printed N)");
    }

    private Evidence evidence(List<GroupInputs.RowMember> rows) {
        Map<Integer, StudyN> largestPerRef = new LinkedHashMap<>();
        Map<String, String> leftOutWhy = new LinkedHashMap<>();
        int tableRows = 0;
        for (GroupInputs.RowMember m : rows) {
            EvidenceRow r = m.row();
            if (!r.isTable()) {
                continue;
            }
            tableRows++;
            Cell c = r.cell("n_enrolled");
            if (c.disputed()) {
                leftOutWhy.put(r.id(), "the printed N is " + c.population() + ", not the number enrolled ("
                        + c.discrepancy() + ")" + (c.randomised() == null
                        ? "; the study's own N for this population is not in the data, so nothing is counted for it"
                        : "; the study's randomised N " + c.randomised() + " is counted instead"));
            }
            StudyN n = countable(r);
            if (n == null) {
                continue;
            }
            largestPerRef.merge(r.refs().get(0), n, (a, b) -> a.total() >= b.total() ? a : b);
        }
        for (GroupInputs.RowMember m : rows) {
            EvidenceRow r = m.row();
            StudyN kept = r.isTable() ? largestPerRef.get(r.refs().get(0)) : null;
            if (kept != null && kept.row() != r && countable(r) != null) {
                String sameStudy = "same study (ref " + r.refsText() + ") as " + kept.row().citation()
                        + ", counted once with its largest N";
                leftOutWhy.merge(r.id(), sameStudy, (a, b) -> a + "; " + b);
            }
        }
        List<PatientCount> counted = new ArrayList<>();
        for (StudyN s : largestPerRef.values()) {
            EvidenceRow r = s.row();
            Cell c = r.cell("n_enrolled");
            for (int i = 0; i < s.cohorts().size(); i++) {
                counted.add(new PatientCount(r.id(), r.citation(), "ref " + r.refsText(),
                        s.cohorts().size() == 1 ? null : (i + 1) + " of " + s.cohorts().size(), s.cohorts().get(i),
                        s.measure(), c.printed(), c.correctionReason(), c.confidence(), c.discrepancy()));
            }
        }
        List<LeftOut> leftOut = new ArrayList<>();
        for (GroupInputs.RowMember m : rows) {
            String why = leftOutWhy.get(m.row().id());
            if (why != null) {
                Cell c = m.row().cell("n_enrolled");
                leftOut.add(new LeftOut(m.row().id(), m.row().citation(), "n_enrolled", c.printed(),
                        c.patients() == null ? null : c.patients().doubleValue(),
                        c.population() != null ? c.population() : "enrolled",
                        c.randomised() == null ? null : c.randomised().doubleValue(), why));
            }
        }
        Integer total = counted.isEmpty() ? null : counted.stream().mapToInt(PatientCount::patients).sum();
        return new Evidence(rows.size(), tableRows, total,
                largestPerRef.values().stream().map(s -> s.row().id()).toList(), counted, leftOut,
                "patients enrolled or randomised over table rows: each study (reference) counted once with its largest "
                        + "N, each cohort its own entry; a printed N that is another population (e.g. the number "
                        + "screened) is left out and said why, and the study's randomised N counted where the data "
                        + "gives it");
    }

    private MedianOs medianOs(List<GroupInputs.RowMember> rows, List<GroupInputs.TrialMember> trials) {
        List<Value> values = new ArrayList<>();
        List<LeftOut> leftOut = new ArrayList<>();
        for (GroupInputs.RowMember m : rows) {
            EvidenceRow r = m.row();
            if (r.isTable()) {
                Cell c = r.cell("median_os_months");
                Double v = c.number();
                if (v == null) {
                    continue;
                }
                if (c.measureInSource() != null) {
                    leftOut.add(new LeftOut(r.id(), r.citation(), "median_os_months", c.printed(), v,
                            c.measureInSource(), c.publishedMedianOs(),
                            "printed in the median OS column, but it is the " + c.measureInSource() + " ("
                                    + c.discrepancy() + ")" + (c.publishedMedianOs() == null
                                    ? "; the study's own median OS is not in the data"
                                    : "; the study's own median OS, " + plain(c.publishedMedianOs())
                                    + " months, is shown but not used: the review does not print it")));
                } else {
                    values.add(new Value(v, r.id(), r.citation(), MEDIAN_OS + " (table column)", r.notes(),
                            c.printed(), c.correctionReason(), c.confidence(), c.errorOrigin()));
                }
            } else if (r.kind() == SourceKind.TEXT_FIGURE) {
                String endpoint = r.cell("endpoint").text();
                Cell c = r.cell("value");
                Double v = c.number();
                if (v != null && endpoint != null && endpoint.toLowerCase(Locale.ROOT).startsWith(MEDIAN_OS.toLowerCase(Locale.ROOT))
                        && "months".equals(r.cell("units").text())) {
                    values.add(new Value(v, r.id(), r.citation(), endpoint, r.notes(), c.printed(),
                            c.correctionReason(), c.confidence(), c.errorOrigin()));
                }
            }
        }
        for (GroupInputs.TrialMember t : trials) {
            for (PostedReadout p : t.results()) {
                if (!"OS".equals(p.endpoint()) || p.value() == null) {
                    continue;
                }
                String id = t.nctId() + " event " + p.eventId();
                String citation = t.nctId() + " posted result" + (p.arm() == null ? "" : " (" + p.arm() + ")") + ": "
                        + p.source();
                double months = p.value().doubleValue();
                String why = p.value().signum() < 0 ? "a negative median OS is not a duration"
                        : !p.experimental() ? armRoleReason(p) : null;
                if (why != null) {
                    leftOut.add(new LeftOut(id, citation, "OS", p.value().toPlainString(), months,
                            MEDIAN_OS + " (" + armRoleText(p) + ")", null, why));
                } else {
                    values.add(new Value(months, id, citation, MEDIAN_OS + " posted for the trial (experimental arm)",
                            List.of(), p.value().toPlainString(), null, null, null));
                }
            }
        }
        if (values.isEmpty() && leftOut.isEmpty()) {
            return null;
        }
        Value best = values.stream().max(Comparator.comparingDouble(Value::months)).orElse(null);
        Double low = values.stream().mapToDouble(Value::months).min().stream().boxed().findFirst().orElse(null);
        String note = "best and range over the " + values.size() + " value(s) that are median OS; never averaged"
                + (leftOut.isEmpty() ? "" : "; left out: " + String.join("; ", leftOut.stream()
                .map(l -> l.citation() + " " + l.printed() + " (" + l.measure() + ")").toList()));
        return new MedianOs(best, low, best == null ? null : best.months(), values, leftOut, note);
    }

    private Orr orr(List<GroupInputs.RowMember> rows, List<GroupInputs.TrialMember> trials) {
        List<OrrReadout> readouts = new ArrayList<>();
        List<LeftOut> notPooled = new ArrayList<>();
        Map<String, OrrReadout> poolable = new LinkedHashMap<>();
        for (GroupInputs.RowMember m : rows) {
            EvidenceRow r = m.row();
            if (r.kind() != SourceKind.TEXT_FIGURE) {
                continue;
            }
            String endpoint = r.cell("endpoint").text();
            Cell c = r.cell("value");
            Double percent = c.number();
            if (endpoint == null || !endpoint.startsWith("ORR") || percent == null || !"%".equals(r.cell("units").text())) {
                continue;
            }
            EvidenceRow nRow = singleArmRowBehind(r);
            Integer n = nRow == null ? null : nRow.cell("n_enrolled").cohorts().get(0);
            String nFrom = nRow == null ? null : nRow.citation() + " prints N = " + n + " for the same study";
            Integer responders = n == null || percent < 0 || percent > 100 ? null : responders(percent, n);
            OrrReadout o = new OrrReadout(r.id(), round2(percent), n, nFrom, wilson(responders, n), "ref " + r.refsText(),
                    r.id(), r.citation(), endpoint, r.notes(), responders,
                    responders == null ? null : respondersText(percent, n, responders), null, c.printed(),
                    c.correctionReason(), c.confidence());
            readouts.add(o);
            if (responders != null) {
                poolable.merge(o.study(), o, (kept, candidate) ->
                        decimals(candidate.percent()) > decimals(kept.percent()) ? candidate : kept);
            }
        }
        for (GroupInputs.TrialMember t : trials) {
            for (PostedReadout p : t.results()) {
                if (!"ORR".equals(p.endpoint()) || p.value() == null) {
                    continue;
                }
                double percent = p.value().doubleValue();
                Integer n = p.n();
                String invalid = n != null && n < 1 ? "N " + n + ": a response rate needs at least one patient"
                        : percent < 0 || percent > 100 ? "ORR " + p.value().toPlainString() + "% is outside 0–100%"
                        : p.responders() != null && (n == null || p.responders() > n)
                        ? "responders " + p.responders() + " exceed N " + (n == null ? "(not posted)" : n) : null;
                Integer responders = invalid != null || n == null ? null
                        : p.responders() != null ? p.responders() : responders(percent, n);
                String respondersFrom = responders == null ? null : p.responders() != null ? "posted with the result"
                        : respondersText(percent, n, responders);
                String id = t.nctId() + ":" + p.eventId() + ":" + (p.arm() == null ? "" : p.arm());
                String citation = t.nctId() + " posted result" + (p.arm() == null ? "" : " (" + p.arm() + ")") + ": "
                        + p.source();
                OrrReadout o = new OrrReadout(id, round2(percent), n, n == null ? null : "n posted with the result",
                        wilson(responders, n), t.nctId(), t.nctId() + " event " + p.eventId(), citation, "ORR",
                        List.of(), responders, respondersFrom, p.armRole(), p.value().toPlainString(), null, null);
                readouts.add(o);
                String why = invalid != null ? invalid : !p.experimental() ? armRoleReason(p) : null;
                if (why != null) {
                    notPooled.add(new LeftOut(id, citation, "ORR", p.value().toPlainString(), percent,
                            "ORR (" + armRoleText(p) + ")", null, why));
                } else if (responders != null) {
                    // One reading per trial: its latest experimental-arm result.
                    poolable.put(o.study(), o);
                }
            }
        }
        if (readouts.isEmpty()) {
            return null;
        }
        List<OrrReadout> studies = List.copyOf(poolable.values());
        Pooled pooled = ProportionMeta.pool(studies.stream()
                        .map(o -> new ProportionMeta.Count(o.responders(), o.n())).toList())
                .map(r -> new Pooled(round2(r.estimate() * 100),
                        new Interval(round2(r.lower() * 100), round2(r.upper() * 100)), round2(r.i2() * 100),
                        round4(r.tau2()), r.k(),
                        studies.stream().map(o -> o.study() + " (" + o.from() + ": " + o.responders() + "/" + o.n()
                                + " responders)").toList(),
                        "DerSimonian–Laird random effects on the logit scale over whole responder counts (ORR × N "
                                + ROUNDING + " where only a percentage is printed); one reading per study"))
                .orElse(null);
        String note = pooled != null ? "pooled over " + pooled.k() + " studies with a known N"
                : "not pooled: " + studies.size() + " study with a known N (two or more needed)";
        return new Orr(readouts, pooled, note, notPooled);
    }

    /** Whole responders from a printed percentage of N: 42% of 12 = 5.04 → 5; 20% of 39 = 7.8 → 8. */
    static int responders(double percent, int n) {
        return BigDecimal.valueOf(percent).multiply(BigDecimal.valueOf(n))
                .divide(BigDecimal.valueOf(100), 0, RoundingMode.HALF_UP).intValueExact();
    }

    private static String respondersText(double percent, int n, int responders) {
        BigDecimal exact = BigDecimal.valueOf(percent).multiply(BigDecimal.valueOf(n))
                .divide(BigDecimal.valueOf(100)).stripTrailingZeros();
        return plain(percent) + "% × " + n + " = " + exact.toPlainString() + ", " + ROUNDING + ": " + responders;
    }

    private static String armRoleText(PostedReadout p) {
        return p.armRole() == null ? "arm role not stated" : p.armRole().toLowerCase(Locale.ROOT) + " arm";
    }

    private static String armRoleReason(PostedReadout p) {
        return p.armRole() == null
                ? "the arm role (experimental or control) was not posted, so it cannot stand for the group's regimen"
                : "a " + p.armRole().toLowerCase(Locale.ROOT) + " arm does not stand for the group's regimen";
    }

    /**
     * The one table row that prints the N behind a text figure: it cites the figure's single reference, prints one N
     * that is the number enrolled (not another population, not several cohorts), and is single-arm as far as the review
     * shows. For a comparative study the N covers all arms and no arm size is printed, so the figure keeps no N rather
     * than a wrong one.
     */
    private EvidenceRow singleArmRowBehind(EvidenceRow figure) {
        if (figure.refs().size() != 1) {
            return null;
        }
        List<EvidenceRow> candidates = catalog.tableRowsCiting(figure.refs().get(0)).stream()
                .filter(r -> !r.cell("n_enrolled").disputed() && r.cell("n_enrolled").cohorts().size() == 1
                        && isSingleArm(r)).toList();
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

    private List<Flag> flags(String tumourType, List<GroupInputs.RowMember> rows, List<GroupInputs.TrialMember> trials) {
        List<Flag> flags = new ArrayList<>();
        List<String> singleArm = new ArrayList<>();
        List<String> small = new ArrayList<>();
        List<String> mixed = new ArrayList<>();
        for (GroupInputs.RowMember m : rows) {
            EvidenceRow r = m.row();
            if (GroupClassifier.tumourTypesIn(r.cell("tumour_type").text()).size() > 1) {
                mixed.add(r.id());
            }
            if (!r.isTable() || r.cell("n_enrolled").isUnknown()) {
                continue;
            }
            if (isSingleArm(r)) {
                singleArm.add(r.id());
            }
            StudyN n = countable(r);
            if (n != null && n.cohorts().stream().anyMatch(c -> c < smallN)) {
                small.add(r.id());
            }
        }
        if (!singleArm.isEmpty()) {
            flags.add(new Flag("single-arm", "no comparator: inferred from a phase below III and no comparator figure "
                    + "for the same reference in the review", singleArm));
        }
        if (!small.isEmpty()) {
            flags.add(new Flag("small-n", "fewer than " + smallN + " patients (in a study or one of its cohorts)", small));
        }
        if (!mixed.isEmpty()) {
            flags.add(new Flag(MIXED_POPULATION, "the study's population spans tumour types (e.g. BTC and PC): its "
                    + "figures are not specific to " + tumourType + ", yet they are counted and pooled here", mixed));
        }
        List<String> stopped = trials.stream().filter(t -> TrialStatus.isStopped(t.status()))
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

    private static Interval wilson(Integer responders, Integer n) {
        if (responders == null || n == null) {
            return null;
        }
        return WilsonInterval.of(responders, n)
                .map(ci -> new Interval(round2(ci.lower() * 100), round2(ci.upper() * 100))).orElse(null);
    }

    private static String plain(double v) {
        return BigDecimal.valueOf(v).stripTrailingZeros().toPlainString();
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
