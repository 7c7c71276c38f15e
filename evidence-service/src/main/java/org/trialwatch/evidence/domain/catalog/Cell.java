package org.trialwatch.evidence.domain.catalog;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * One cell of the review as seeded: {@code raw} as printed in the OCR'd review, {@code value} as read. Where they differ
 * the seed says why ({@code correctionReason}, {@code confidence}, {@code errorOrigin}); {@code source} names where a
 * value not printed in the table came from (e.g. a sentence of the running text). A plain string cell is its own raw.
 * <p>
 * A cell kept as printed although its study says it measures something else carries that in structure:
 * {@code measureInSource} (a median OS cell that is really, e.g., the median follow-up) with the study's own
 * {@code publishedMedianOs} (null: not known), or {@code population} (an N that is, e.g., the number screened) with the
 * study's {@code randomised} N (null: not known), and the {@code discrepancy} in words. A summary must not use such a
 * cell as the measure its column names.
 * <p>
 * {@code value} and {@code raw} are JSON values as plain Java (null, String, Boolean, Integer/Long/BigInteger, Double,
 * List, Map), each beside its JSON text as the seed prints it ({@code valueJson}, {@code rawJson}), so that the domain
 * needs no JSON library (ADR 0008).
 */
public record Cell(Object value, String valueJson, Object raw, String rawJson, boolean corrected,
                   String correctionReason, String confidence, String errorOrigin, String source,
                   String measureInSource, Double publishedMedianOs, String population, Integer randomised,
                   String discrepancy) {

    /** The cell of a column the row does not have: nothing known, nothing printed. */
    public static Cell unknown() {
        return new Cell(null, "null", null, "null", false, null, null, null, null, null, null, null, null, null);
    }

    /** True when nothing was read for this cell. */
    public boolean isUnknown() {
        return value == null;
    }

    /** True when the data says this cell is not the measure or population its column names. */
    public boolean disputed() {
        return measureInSource != null || population != null;
    }

    /** The value as printed in the OCR'd seed, as text (null when nothing was printed). */
    public String printed() {
        return raw == null ? null : raw instanceof String s ? s : rawJson;
    }

    /** Cohort sizes printed in one cell ("24 and 104" → [24, 104]); one number → one cohort; else empty. */
    public List<Integer> cohorts() {
        if (isIntegral(value)) {
            return List.of(((Number) value).intValue());
        }
        List<Integer> out = new ArrayList<>();
        if (value instanceof List<?> items) {
            for (Object n : items) {
                if (!isIntegral(n)) {
                    return List.of();
                }
                out.add(((Number) n).intValue());
            }
        }
        return List.copyOf(out);
    }

    /** The value as read, as text (null when unknown). */
    public String text() {
        return value == null ? null : value instanceof String s ? s : valueJson;
    }

    /** The value as a single number, or null when it is unknown or not one number (a range, a list, a text). */
    public Double number() {
        return value instanceof Number n ? n.doubleValue() : null;
    }

    /** The value as a number of patients: a number, or the sum of a list of cohort sizes. */
    public Integer patients() {
        if (isIntegral(value)) {
            return ((Number) value).intValue();
        }
        if (value instanceof List<?> items && !items.isEmpty()) {
            int sum = 0;
            for (Object n : items) {
                if (!isIntegral(n)) {
                    return null;
                }
                sum += ((Number) n).intValue();
            }
            return sum;
        }
        return null;
    }

    private static boolean isIntegral(Object v) {
        return v instanceof Integer || v instanceof Long || v instanceof BigInteger || v instanceof Short
                || v instanceof Byte;
    }
}
