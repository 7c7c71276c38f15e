package org.trialwatch.evidence.domain.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;

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
 */
public record Cell(JsonNode value, JsonNode raw, boolean corrected, String correctionReason, String confidence,
                   String errorOrigin, String source, String measureInSource, Double publishedMedianOs,
                   String population, Integer randomised, String discrepancy) {

    static Cell of(JsonNode node) {
        if (node == null || node.isNull()) {
            return new Cell(NullNode.getInstance(), NullNode.getInstance(), false, null, null, null, null, null, null,
                    null, null, null);
        }
        if (node.isObject() && node.has("raw") && node.has("value")) {
            JsonNode value = node.get("value");
            JsonNode raw = node.get("raw");
            String reason = text(node, "correction_reason");
            boolean corrected = reason != null || !sameReading(raw, value);
            return new Cell(value, raw, corrected, reason, text(node, "confidence"), text(node, "error_origin"),
                    text(node, "source"), text(node, "measure_in_source"), number(node, "published_median_os"),
                    text(node, "population"), integer(node, "randomised"), text(node, "discrepancy"));
        }
        return new Cell(node, node, false, null, null, null, null, null, null, null, null, null);
    }

    /** True when the data says this cell is not the measure or population its column names. */
    public boolean disputed() {
        return measureInSource != null || population != null;
    }

    /** The value as printed in the OCR'd seed, as text (null when nothing was printed). */
    public String printed() {
        return raw == null || raw.isNull() ? null : raw.isTextual() ? raw.asText() : raw.toString();
    }

    /** Cohort sizes printed in one cell ("24 and 104" → [24, 104]); one number → one cohort; else empty. */
    public java.util.List<Integer> cohorts() {
        if (value == null) {
            return java.util.List.of();
        }
        if (value.isIntegralNumber()) {
            return java.util.List.of(value.asInt());
        }
        java.util.List<Integer> out = new java.util.ArrayList<>();
        if (value.isArray()) {
            for (JsonNode n : value) {
                if (!n.isIntegralNumber()) {
                    return java.util.List.of();
                }
                out.add(n.asInt());
            }
        }
        return java.util.List.copyOf(out);
    }

    /** The value as read, as text (null when unknown). */
    public String text() {
        return value == null || value.isNull() ? null : value.isTextual() ? value.asText() : value.toString();
    }

    /** The value as a single number, or null when it is unknown or not one number (a range, a list, a text). */
    public Double number() {
        return value != null && value.isNumber() ? value.asDouble() : null;
    }

    /** The value as a number of patients: a number, or the sum of a list of cohort sizes. */
    public Integer patients() {
        if (value == null) {
            return null;
        }
        if (value.isIntegralNumber()) {
            return value.asInt();
        }
        if (value.isArray() && !value.isEmpty()) {
            int sum = 0;
            for (JsonNode n : value) {
                if (!n.isIntegralNumber()) {
                    return null;
                }
                sum += n.asInt();
            }
            return sum;
        }
        return null;
    }

    private static boolean sameReading(JsonNode raw, JsonNode value) {
        if (raw == null || value == null) {
            return raw == value;
        }
        if (raw.isTextual() && value.isNumber()) {
            try {
                return new java.math.BigDecimal(raw.asText()).compareTo(value.decimalValue()) == 0;
            } catch (NumberFormatException e) {
                return false;
            }
        }
        return raw.equals(value);
    }

    private static Double number(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || !v.isNumber() ? null : v.asDouble();
    }

    private static Integer integer(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || !v.isIntegralNumber() ? null : v.asInt();
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
