package org.trialwatch.evidence.summary;

import java.util.List;
import java.util.Map;

/**
 * What a group's summary says, computed from its members. Every number names the row or trial it comes from.
 * Percentages are in percent (0–100), rounded to 2 decimals; medians in months.
 */
public record SummaryContent(
        String groupKey,
        String tumourType,
        String line,
        String therapyClass,
        String target,
        Evidence evidence,
        MedianOs medianOs,
        Orr orr,
        Map<String, Integer> trackedByStatus,
        List<RowRef> rows,
        List<TrialRef> trials,
        List<Flag> certaintyFlags) {

    /**
     * @param rows          evidence rows in the group (table rows and running-text figures)
     * @param tableRows     of which table rows
     * @param totalPatients patients enrolled over the table rows, each study (reference) counted once with its largest N;
     *                      null when no row prints an N
     */
    public record Evidence(int rows, int tableRows, Integer totalPatients, List<String> patientsCountedFrom,
                           String patientsNote) {
    }

    /** Median OS values are listed, never averaged: best is the longest, range their extent. */
    public record MedianOs(Value best, Double low, Double high, List<Value> values) {
    }

    public record Value(double months, String from, String citation, String measure, List<String> notes) {
    }

    public record Orr(List<OrrReadout> readouts, Pooled pooled, String pooledNote) {
    }

    /**
     * One ORR reading. {@code n} and {@code ci95} only where the number of patients behind it is known
     * ({@code nFrom} says where that N was read).
     */
    public record OrrReadout(String id, double percent, Integer n, String nFrom, Interval ci95, String study,
                             String from, String citation, String endpoint, List<String> notes) {
    }

    public record Interval(double lower, double upper) {
    }

    /** DerSimonian–Laird random-effects pooled ORR on the logit scale. */
    public record Pooled(double percent, Interval ci95, double i2Percent, double tau2, int k, List<String> studies,
                         String method) {
    }

    public record RowRef(String id, String citation, String why) {
    }

    public record TrialRef(String nctId, String status, boolean resultsPosted, String whyStopped, String why) {
    }

    public record Flag(String flag, String detail, List<String> members) {
    }
}
