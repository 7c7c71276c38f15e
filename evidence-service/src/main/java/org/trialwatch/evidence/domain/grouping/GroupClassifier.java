package org.trialwatch.evidence.domain.grouping;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

import org.trialwatch.evidence.domain.catalog.Cell;
import org.trialwatch.evidence.domain.catalog.EvidenceCatalog;
import org.trialwatch.evidence.domain.catalog.EvidenceRow;
import org.trialwatch.evidence.domain.catalog.SourceKind;

/**
 * Places evidence rows and tracked trials in groups (ADR 0101). Each dimension is derived by a rule that the
 * membership's {@code why} spells out, so a reader can check every placement against the row or the trial.
 */
public final class GroupClassifier {

    /** Text-figure categories that are efficacy readings of a regimen; diagnostics and genomics are not grouped. */
    static final Set<String> GROUPED_CATEGORIES = Set.of("efficacy", "efficacy_subgroup", "efficacy_class_level");

    public static final List<String> TUMOUR_TYPES = List.of("BTC", "PC");

    private final EvidenceCatalog catalog;

    public GroupClassifier(EvidenceCatalog catalog) {
        this.catalog = catalog;
    }

    /** The groups of an evidence row; empty for NCT mentions, non-efficacy text figures and non-BTC/PC rows. */
    public List<Membership> classify(EvidenceRow row) {
        if (row.kind() == SourceKind.NCT_MENTION) {
            return List.of();
        }
        if (row.kind() == SourceKind.TEXT_FIGURE && !GROUPED_CATEGORIES.contains(row.cell("category").text())) {
            return List.of();
        }
        List<String[]> tumours = tumourTypesOf(row);
        if (tumours.isEmpty()) {
            return List.of();
        }
        String[] line = lineOf(row);
        String regimen = row.cell("regimen").text();
        String mechanism = row.kind() == SourceKind.TABLE ? mechanismTextOf(row) : null;
        String mechanismLabel = row.cell("target_mechanism").text() != null ? "printed target/mechanism"
                : "target/mechanism inferred by the seed's curators";
        Placement placement = place(regimen, null, mechanism, mechanismLabel);
        // A corrected regimen decides the class and target, so the reason says what was printed and why it was read so.
        String regimenCorrection = correction(row.cell("regimen"));
        List<Membership> out = new ArrayList<>();
        for (String[] tumour : tumours) {
            GroupKey key = new GroupKey(tumour[0], line[0], placement.therapyClass, placement.target);
            out.add(new Membership(key, List.of(tumour[1], line[1], placement.classWhy + regimenCorrection,
                    placement.targetWhy + regimenCorrection)));
        }
        return out;
    }

    /**
     * The groups of a tracked trial: those its own review fields derive, and those of the table rows that print its
     * NCT number (the review links them; e.g. Table 4 row 9 and NCT04753879).
     */
    public List<Membership> classify(TrialProfile trial) {
        LinkedHashSet<Membership> out = new LinkedHashSet<>();
        List<String> tumours = trial.tumourTypes() == null ? List.of()
                : trial.tumourTypes().stream().filter(TUMOUR_TYPES::contains).distinct().toList();
        if (!tumours.isEmpty()) {
            Line line = Line.read(join(trial.setting(), trial.regimen()));
            String lineWhy = "line " + line.slug() + ": trial setting '" + trial.setting() + "'"
                    + (trial.regimen() != null && line == Line.MAINTENANCE ? " / regimen '" + trial.regimen() + "'" : "");
            Placement placement = place(trial.regimen(), trial.therapyClass(), trial.mechanism(), "trial mechanism");
            for (String t : tumours) {
                GroupKey key = new GroupKey(t, line.slug(), placement.therapyClass, placement.target);
                out.add(new Membership(key, List.of("tumour type " + t + ": the trial's tumourTypes " + trial.tumourTypes(),
                        lineWhy, placement.classWhy, placement.targetWhy)));
            }
        }
        for (EvidenceRow linked : catalog.rowsNaming(trial.nctId())) {
            if (!linked.isTable()) {
                continue;
            }
            for (Membership m : classify(linked)) {
                if (out.stream().noneMatch(o -> o.key().equals(m.key()))) {
                    out.add(new Membership(m.key(), List.of("the review links this trial to " + linked.citation()
                            + ", which prints " + trial.nctId() + "; that row's group: " + m.whyText())));
                }
            }
        }
        return List.copyOf(out);
    }

    private record Placement(String therapyClass, String classWhy, String target, String targetWhy) {
    }

    /**
     * Therapy class: the trial's stated class if it has one, else the kinds of the agents in the regimen (an agent the
     * lexicon does not know counts as targeted when the row names a target/mechanism, which is what Tables 3–4 are
     * about, and as "other" otherwise). Target: the target words of the mechanism plus the targets of the agents;
     * failing those, the printed mechanism itself as a slug; a chemotherapy-only regimen is "cytotoxic".
     */
    private Placement place(String regimen, String statedClass, String mechanism, String mechanismLabel) {
        List<Lexicon.Found<Lexicon.Agent>> agents = Lexicon.agentsIn(regimen);
        List<String> unknown = Lexicon.unknownParts(regimen);

        EnumSet<TherapyKind> kinds = EnumSet.noneOf(TherapyKind.class);
        String classWhy;
        if (statedClass != null && !statedClass.isBlank()) {
            for (String token : statedClass.split("\\+|/|,")) {
                if (!token.isBlank()) {
                    kinds.add(TherapyKind.readToken(token));
                }
            }
            classWhy = "therapy class " + TherapyKind.classSlug(kinds) + ": the trial's therapyClass '" + statedClass + "'";
        } else {
            List<String> reasons = new ArrayList<>();
            for (Lexicon.Found<Lexicon.Agent> a : agents) {
                kinds.add(a.entry().kind());
                reasons.add("'" + a.matched() + "' → " + a.entry().kind().slug());
            }
            if (!unknown.isEmpty()) {
                TherapyKind k = mechanism != null ? TherapyKind.TARGETED : TherapyKind.OTHER;
                kinds.add(k);
                reasons.add(String.join(", ", unknown.stream().map(u -> "'" + u + "'").toList())
                        + " → " + k.slug() + (mechanism != null ? " (agent not in the lexicon, aimed at the " + mechanismLabel + ")"
                        : " (agent not in the lexicon)"));
            }
            if (kinds.isEmpty()) {
                kinds.add(TherapyKind.OTHER);
                reasons.add("no regimen");
            }
            classWhy = "therapy class " + TherapyKind.classSlug(kinds) + ": regimen '" + regimen + "': "
                    + String.join(", ", reasons);
        }

        TreeSet<String> targets = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        List<String> targetReasons = new ArrayList<>();
        for (Lexicon.Found<Lexicon.TargetWord> t : Lexicon.targetsIn(mechanism)) {
            targets.add(t.entry().target());
            targetReasons.add("'" + t.matched() + "' in " + mechanismLabel + " '" + mechanism + "'");
        }
        for (Lexicon.Found<Lexicon.Agent> a : agents) {
            if (a.entry().target() != null) {
                targets.add(a.entry().target());
                targetReasons.add(a.entry().name() + " targets " + a.entry().target());
            }
        }
        String target;
        String targetWhy;
        if (!targets.isEmpty()) {
            target = String.join("_", targets);
            targetWhy = "target " + target + ": " + String.join(", ", targetReasons);
        } else if (mechanism != null && !Lexicon.slug(mechanism).isEmpty()) {
            target = Lexicon.slug(mechanism);
            targetWhy = "target " + target + ": the " + mechanismLabel + " '" + mechanism + "' (no target word of the lexicon)";
        } else if (kinds.equals(EnumSet.of(TherapyKind.CHEMO))) {
            target = "cytotoxic";
            targetWhy = "target cytotoxic: chemotherapy only, no molecular target";
        } else {
            target = "unstated";
            targetWhy = "target unstated: neither the regimen's agents nor a mechanism name a target";
        }
        return new Placement(TherapyKind.classSlug(kinds), classWhy, target, targetWhy);
    }

    /** {BTC, why} pairs. Table 1 is the review's BTC table and Table 2 its PC table; the others print a tumour type. */
    private List<String[]> tumourTypesOf(EvidenceRow row) {
        List<String[]> out = new ArrayList<>();
        if (row.isTable() && row.table() == 1) {
            out.add(new String[] {"BTC", "tumour type BTC: Table 1 lists treatment regimens in BTC"});
            return out;
        }
        if (row.isTable() && row.table() == 2) {
            out.add(new String[] {"PC", "tumour type PC: Table 2 lists treatment regimens in PC"});
            return out;
        }
        String printed = row.cell("tumour_type").text();
        List<String> types = tumourTypesIn(printed);
        String mixed = types.size() > 1 ? " (one population spanning " + String.join(" and ", types)
                + ": the summary flags it mixed-population)" : "";
        for (String t : types) {
            out.add(new String[] {t, "tumour type " + t + ": printed tumour type '" + printed + "'"
                    + correction(row.cell("tumour_type")) + mixed});
        }
        return out;
    }

    /** " (as read; printed 'X', corrected: why)" for a corrected cell, else "". */
    private static String correction(Cell cell) {
        if (!cell.corrected()) {
            return "";
        }
        return " (as read; printed '" + cell.printed() + "', corrected"
                + (cell.confidence() == null ? "" : " with " + cell.confidence() + " confidence")
                + (cell.correctionReason() == null ? "" : ": " + cell.correctionReason()) + ")";
    }

    /** Cholangiocarcinoma (CCA, ICC, iCCA) is a biliary tract cancer; PDAC is pancreatic cancer. */
    public static List<String> tumourTypesIn(String printed) {
        List<String> out = new ArrayList<>();
        if (printed == null) {
            return out;
        }
        String t = printed.toUpperCase(Locale.ROOT);
        if (t.matches(".*\\b(BTC|CCA|ICC|ICCA|BILIARY|CHOLANGIOCARCINOMA|GALLBLADDER)\\b.*")) {
            out.add("BTC");
        }
        if (t.matches(".*\\b(PC|PDAC)\\b.*") || t.contains("PANCREA")) {
            out.add("PC");
        }
        return out;
    }

    private String[] lineOf(EvidenceRow row) {
        if (row.kind() == SourceKind.TEXT_FIGURE) {
            String population = row.cell("population").text();
            String regimen = row.cell("regimen").text();
            Line line = Line.read(join(population, regimen));
            if (line != Line.ANY_LINE || row.refs().size() != 1) {
                return new String[] {line.slug(), "line " + line.slug() + ": population '" + population + "'"
                        + (line == Line.MAINTENANCE ? ", regimen '" + regimen + "'" : "")};
            }
        }
        String printedLine = row.cell("line").text();
        if (printedLine != null && row.isTable()) {
            Line line = Line.read(printedLine);
            return new String[] {line.slug(), "line " + line.slug() + ": printed line '" + printedLine + "'"};
        }
        for (EvidenceRow sameRef : catalog.tableRowsCiting(row.refs().get(0))) {
            String other = sameRef.cell("line").text();
            if (other != null) {
                Line line = Line.read(other);
                return new String[] {line.slug(), "line " + line.slug() + ": " + sameRef.citation()
                        + " reports the same study (same reference) with line '" + other + "'"};
            }
        }
        return new String[] {Line.ANY_LINE.slug(), row.kind() == SourceKind.TEXT_FIGURE
                ? "line any-line: population '" + row.cell("population").text() + "' names no line, nor does a table row of its reference"
                : "line any-line: the row names no line or setting, nor does a Table 1/2 row of its reference"};
    }

    private static String mechanismTextOf(EvidenceRow row) {
        String printed = row.cell("target_mechanism").text();
        return printed != null ? printed : row.cell("mechanism_inferred").text();
    }

    private static String join(String a, String b) {
        return (a == null ? "" : a) + " " + (b == null ? "" : b);
    }
}
