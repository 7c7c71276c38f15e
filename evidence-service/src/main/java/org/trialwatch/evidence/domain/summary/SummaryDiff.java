package org.trialwatch.evidence.domain.summary;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;


/**
 * What moved between two versions of a group summary, as a subscriber wants to read it: tracked RECRUITING 3→2,
 * TERMINATED 0→1, a new ORR readout, the pooled ORR moving from x to y. An empty list means nothing a reader would see
 * changed, and no new version is made.
 */
public final class SummaryDiff {

    private SummaryDiff() {
    }

    public static List<SummaryChange> between(SummaryContent before, SummaryContent after) {
        List<SummaryChange> changes = new ArrayList<>();
        Map<String, Integer> oldStatus = before == null ? Map.of() : before.trackedByStatus();
        Map<String, Integer> newStatus = after.trackedByStatus();
        for (String status : union(oldStatus.keySet(), newStatus.keySet())) {
            int from = oldStatus.getOrDefault(status, 0);
            int to = newStatus.getOrDefault(status, 0);
            if (from != to) {
                changes.add(new SummaryChange("trackedByStatus." + status, from, to,
                        "tracked " + status + " " + from + "→" + to));
            }
        }

        Map<String, SummaryContent.TrialRef> oldTrials = trials(before);
        Map<String, SummaryContent.TrialRef> newTrials = trials(after);
        for (String nct : union(oldTrials.keySet(), newTrials.keySet())) {
            SummaryContent.TrialRef o = oldTrials.get(nct);
            SummaryContent.TrialRef n = newTrials.get(nct);
            if (o == null) {
                changes.add(new SummaryChange("trials." + nct, null, n.status(),
                        nct + " joined the group (" + n.status() + ")"));
            } else if (n == null) {
                changes.add(new SummaryChange("trials." + nct, o.status(), null,
                        nct + " left the group"));
            } else if (!o.status().equals(n.status())) {
                changes.add(new SummaryChange("trials." + nct + ".status", o.status(), n.status(),
                        nct + " " + o.status() + "→" + n.status()));
            }
        }

        if (before == null || before.evidence().rows() != after.evidence().rows()) {
            changes.add(new SummaryChange("evidence.rows", before == null ? null : before.evidence().rows(),
                    after.evidence().rows(), "evidence rows " + (before == null ? "none" : before.evidence().rows())
                    + "→" + after.evidence().rows()));
        }
        Integer oldPatients = before == null ? null : before.evidence().totalPatients();
        Integer newPatients = after.evidence().totalPatients();
        if (!Objects.equals(oldPatients, newPatients)) {
            changes.add(new SummaryChange("evidence.totalPatients", number(oldPatients), number(newPatients),
                    "total patients (enrolled or randomised; " + patientsFrom(after.evidence()) + ") "
                            + text(oldPatients) + "→" + text(newPatients) + leftOutText(after.evidence().patientsLeftOut())));
        }

        SummaryContent.MedianOs oldOs = before == null ? null : before.medianOs();
        SummaryContent.MedianOs newOs = after.medianOs();
        SummaryContent.Value oldBestValue = oldOs == null ? null : oldOs.best();
        SummaryContent.Value newBestValue = newOs == null ? null : newOs.best();
        Double oldBest = oldBestValue == null ? null : oldBestValue.months();
        Double newBest = newBestValue == null ? null : newBestValue.months();
        if (!Objects.equals(oldBest, newBest)) {
            changes.add(new SummaryChange("medianOs.best", number(oldBest), number(newBest),
                    "best median OS " + text(oldBest) + "→" + text(newBest) + " months"
                            + (newBestValue == null ? "" : " (" + describe(newBestValue) + ")")
                            + (newOs == null ? "" : leftOutText(newOs.leftOut()))));
        }
        Double oldLow = oldOs == null ? null : oldOs.low();
        Double newLow = newOs == null ? null : newOs.low();
        if (!Objects.equals(oldLow, newLow)) {
            SummaryContent.Value lowest = newOs == null ? null : newOs.values().stream()
                    .min(java.util.Comparator.comparingDouble(SummaryContent.Value::months)).orElse(null);
            changes.add(new SummaryChange("medianOs.low", number(oldLow), number(newLow),
                    "shortest median OS in the range " + text(oldLow) + "→" + text(newLow) + " months"
                            + (lowest == null ? "" : " (" + describe(lowest) + ")")));
        }
        List<String> oldLeftOut = leftOutIds(oldOs);
        List<String> newLeftOut = leftOutIds(newOs);
        if (!oldLeftOut.equals(newLeftOut) && newOs != null && !newOs.leftOut().isEmpty()) {
            changes.add(new SummaryChange("medianOs.leftOut", strings(oldLeftOut), strings(newLeftOut),
                    "median OS left out of best and range" + leftOutText(newOs.leftOut()).replaceFirst("^; left out", "")));
        }

        Map<String, SummaryContent.OrrReadout> oldOrr = readouts(before);
        for (SummaryContent.OrrReadout r : readouts(after).values()) {
            SummaryContent.OrrReadout o = oldOrr.get(r.id());
            if (o == null) {
                changes.add(new SummaryChange("orr.readouts." + r.id(), null, r.percent(),
                        "new ORR readout " + r.percent() + "%" + (r.n() == null ? "" : " (n=" + r.n()
                                + (r.responders() == null ? "" : ", " + r.responders() + " responders") + ")")
                                + (r.ci95() == null ? "" : ", 95% CI " + r.ci95().lower() + "–" + r.ci95().upper())
                                + " (" + r.endpoint() + (r.armRole() == null ? "" : ", " + r.armRole().toLowerCase(java.util.Locale.ROOT) + " arm")
                                + ") from " + r.citation() + provenance(r.printed(), r.correctionReason(), r.confidence())));
            } else if (o.percent() != r.percent() || !Objects.equals(o.n(), r.n())) {
                changes.add(new SummaryChange("orr.readouts." + r.id(), o.percent(), r.percent(),
                        "ORR readout " + r.id() + " " + o.percent() + "%→" + r.percent() + "%"));
            }
        }

        SummaryContent.Pooled oldPooled = before == null || before.orr() == null ? null : before.orr().pooled();
        SummaryContent.Pooled newPooled = after.orr() == null ? null : after.orr().pooled();
        Double oldPct = oldPooled == null ? null : oldPooled.percent();
        Double newPct = newPooled == null ? null : newPooled.percent();
        if (!Objects.equals(oldPct, newPct) || (oldPooled != null && newPooled != null && oldPooled.k() != newPooled.k())) {
            changes.add(new SummaryChange("orr.pooled.percent", number(oldPct), number(newPct), "pooled ORR "
                    + (oldPooled == null ? "none" : oldPooled.percent() + "% (k=" + oldPooled.k() + ")") + "→"
                    + (newPooled == null ? "none" : newPooled.percent() + "% (95% CI " + newPooled.ci95().lower() + "–"
                    + newPooled.ci95().upper() + ", I² " + newPooled.i2Percent() + "%, k=" + newPooled.k() + ") over "
                    + String.join(", ", newPooled.studies()))));
        }

        Map<String, List<String>> oldFlags = flags(before);
        Map<String, List<String>> newFlags = flags(after);
        for (String flag : union(oldFlags.keySet(), newFlags.keySet())) {
            List<String> from = oldFlags.get(flag);
            List<String> to = newFlags.get(flag);
            if (!Objects.equals(from, to)) {
                changes.add(flagChange(flag, from, to));
            }
        }
        return changes;
    }

    /** Flags listing more members than this are described by what joined and left, not by their whole lists. */
    public static final int FLAG_LIST_LIMIT = 50;
    private static final int NAMED_IN_DESCRIPTION = 20;

    /**
     * A flag's change. Small flags carry their member lists; a large one (e.g. results-not-yet-posted in a group of
     * thousands of trials) carries member counts and names only the members that joined or left, so one event stays
     * small whatever the group's size (Kafka refuses records over 1 MB, which would stall the outbox).
     */
    private static SummaryChange flagChange(String flag, List<String> from, List<String> to) {
        int fromSize = from == null ? 0 : from.size();
        int toSize = to == null ? 0 : to.size();
        if (fromSize <= FLAG_LIST_LIMIT && toSize <= FLAG_LIST_LIMIT) {
            return new SummaryChange("certaintyFlags." + flag, strings(from), strings(to),
                    "certainty flag " + flag + (to == null ? " cleared" : ": " + String.join(", ", to)));
        }
        java.util.Set<String> before = from == null ? java.util.Set.of() : new java.util.LinkedHashSet<>(from);
        java.util.Set<String> after = to == null ? java.util.Set.of() : new java.util.LinkedHashSet<>(to);
        List<String> joined = after.stream().filter(m -> !before.contains(m)).toList();
        List<String> left = before.stream().filter(m -> !after.contains(m)).toList();
        return countChange(flag, fromSize, toSize, joined, left);
    }

    private static SummaryChange countChange(String flag, int fromSize, int toSize, List<String> joined,
                                             List<String> left) {
        return new SummaryChange("certaintyFlags." + flag + ".count", number(fromSize), number(toSize),
                "certainty flag " + flag + " " + fromSize + "→" + toSize + named(" +", joined) + named(" −", left));
    }

    /**
     * The change of a flag that one member joined, as {@link #between} gives it for the whole lists, without them:
     * {@code members} are the members before, in the flag's order, needed only while they are at most
     * {@link #FLAG_LIST_LIMIT} (null otherwise); {@code count} is how many there were.
     */
    public static SummaryChange flagJoined(String flag, List<String> members, int count, String joined) {
        if (count > FLAG_LIST_LIMIT) {
            return countChange(flag, count, count + 1, List.of(joined), List.of());
        }
        if (members == null || members.size() != count) {
            throw new IllegalArgumentException("flag " + flag + ": " + count + " members, not listed");
        }
        List<String> after = new ArrayList<>(members);
        after.add(joined);
        after.sort(null);
        return flagChange(flag, count == 0 ? null : members, after);
    }

    private static String named(String sign, List<String> members) {
        if (members.isEmpty()) {
            return "";
        }
        String shown = String.join(", ", members.subList(0, Math.min(members.size(), NAMED_IN_DESCRIPTION)));
        return sign + shown + (members.size() > NAMED_IN_DESCRIPTION
                ? " and " + (members.size() - NAMED_IN_DESCRIPTION) + " more" : "");
    }

    /** "median OS (table column), Table 1 row 1 [ref 5]; printed 1.7, corrected (confidence medium): why". */
    static String describe(SummaryContent.Value v) {
        return v.measure() + ", " + v.citation() + provenance(v.printed(), v.correctionReason(), v.confidence());
    }

    private static String provenance(String printed, String correctionReason, String confidence) {
        if (correctionReason == null) {
            return printed == null ? "" : "; as printed (" + printed + ")";
        }
        return "; printed " + (printed == null ? "nothing" : printed) + ", corrected"
                + (confidence == null ? "" : " (confidence " + confidence + ")") + ": " + correctionReason;
    }

    private static String patientsFrom(SummaryContent.Evidence e) {
        if (e.patientsCounted() == null || e.patientsCounted().isEmpty()) {
            return "no row gives such an N";
        }
        return String.join(", ", e.patientsCounted().stream().map(p -> p.citation()
                + (p.cohort() == null ? "" : " cohort " + p.cohort()) + " " + p.patients() + " " + p.measure()
                + (p.correctionReason() == null ? "" : " [" + provenance(p.printed(), p.correctionReason(),
                p.confidence()).substring(2) + "]")).toList());
    }

    private static String leftOutText(List<SummaryContent.LeftOut> leftOut) {
        if (leftOut == null || leftOut.isEmpty()) {
            return "";
        }
        return "; left out: " + String.join("; ", leftOut.stream().map(l -> l.citation() + " printed " + l.printed()
                + " is " + l.measure() + (l.sourceFigure() == null ? "" : " (the study's own figure: "
                + java.math.BigDecimal.valueOf(l.sourceFigure()).stripTrailingZeros().toPlainString() + ")")).toList());
    }

    private static List<String> leftOutIds(SummaryContent.MedianOs os) {
        return os == null || os.leftOut() == null ? List.of() : os.leftOut().stream().map(SummaryContent.LeftOut::from).toList();
    }

    private static Map<String, SummaryContent.TrialRef> trials(SummaryContent s) {
        Map<String, SummaryContent.TrialRef> out = new LinkedHashMap<>();
        if (s != null) {
            s.trials().forEach(t -> out.put(t.nctId(), t));
        }
        return out;
    }

    private static Map<String, SummaryContent.OrrReadout> readouts(SummaryContent s) {
        Map<String, SummaryContent.OrrReadout> out = new LinkedHashMap<>();
        if (s != null && s.orr() != null) {
            s.orr().readouts().forEach(r -> out.put(r.id(), r));
        }
        return out;
    }

    private static Map<String, List<String>> flags(SummaryContent s) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (s != null) {
            s.certaintyFlags().forEach(f -> out.put(f.flag(), f.members()));
        }
        return out;
    }

    private static TreeSet<String> union(java.util.Collection<String> a, java.util.Collection<String> b) {
        TreeSet<String> out = new TreeSet<>(a);
        out.addAll(b);
        return out;
    }

    /** An Integer stays one; any other number becomes a Double. */
    private static Object number(Number n) {
        if (n == null) {
            return null;
        }
        return n instanceof Integer i ? i : (Object) n.doubleValue();
    }

    private static Object strings(List<String> values) {
        return values == null ? null : java.util.Collections.unmodifiableList(new ArrayList<>(values));
    }

    private static String text(Object o) {
        return o == null ? "none" : o.toString();
    }
}
