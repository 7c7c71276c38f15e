package org.trialwatch.evidence.domain.summary;

import java.util.List;
import java.util.Map;

/**
 * What a group's summary says, computed from its members. Every number names the row or trial it comes from, the
 * measure it is, and, where the seed corrected it, the value as printed with the reason and the confidence (ADR 0102,
 * ADR 0104). Percentages are in percent (0–100), rounded to 2 decimals; medians in months.
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
     * @param rows                evidence rows in the group (table rows and running-text figures)
     * @param tableRows           of which table rows
     * @param totalPatients       patients enrolled or randomised over the table rows, each study (reference) counted once,
     *                            each cohort its own entry; null when no row gives such an N
     * @param patientsCountedFrom the rows whose N was counted
     * @param patientsCounted     each counted N with its measure and provenance
     * @param patientsLeftOut     printed Ns not counted, each with what it is and why
     */
    public record Evidence(int rows, int tableRows, Integer totalPatients, List<String> patientsCountedFrom,
                           List<PatientCount> patientsCounted, List<LeftOut> patientsLeftOut, String patientsNote) {
    }

    /**
     * One counted N. {@code measure}: "enrolled" (the table's column as printed) or "randomised" (the study's own
     * figure, which the data gives where the printed N is another population). {@code cohort}: "1 of 2" when one row
     * prints several cohorts.
     */
    public record PatientCount(String from, String citation, String study, String cohort, int patients, String measure,
                               String printed, String correctionReason, String confidence, String discrepancy) {
    }

    /**
     * Median OS values are listed, never averaged: best is the longest, range their extent, over the values that are
     * median OS. {@code leftOut}: cells printed as median OS that measure something else, and posted values that may not
     * stand for the group's regimen, each with why.
     */
    public record MedianOs(Value best, Double low, Double high, List<Value> values, List<LeftOut> leftOut,
                           String note) {
    }

    /** One median OS value: the months as read, the measure, the row, and the printed value with its correction. */
    public record Value(double months, String from, String citation, String measure, List<String> notes,
                        String printed, String correctionReason, String confidence, String errorOrigin) {
    }

    /**
     * A printed or posted value a summary does not use as the measure it names. {@code measure}: what it really is;
     * {@code sourceFigure}: the study's own figure of the named measure where the data knows it (null: not known).
     */
    public record LeftOut(String from, String citation, String column, String printed, Double value, String measure,
                          Double sourceFigure, String reason) {
    }

    public record Orr(List<OrrReadout> readouts, Pooled pooled, String pooledNote, List<LeftOut> notPooled) {
    }

    /**
     * One ORR reading. {@code n}, {@code responders} and {@code ci95} only where the number of patients behind it is
     * known ({@code nFrom} says where that N was read, {@code respondersFrom} how the whole count was made).
     */
    public record OrrReadout(String id, double percent, Integer n, String nFrom, Interval ci95, String study,
                             String from, String citation, String endpoint, List<String> notes, Integer responders,
                             String respondersFrom, String armRole, String printed, String correctionReason,
                             String confidence) {
    }

    public record Interval(double lower, double upper) {
    }

    /** DerSimonian–Laird random-effects pooled ORR on the logit scale, over whole responder counts. */
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
