package org.trialwatch.evidence.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;

/**
 * One cell of the review as seeded: {@code raw} as printed in the OCR'd review, {@code value} as read. Where they differ
 * the seed says why ({@code correctionReason}, {@code confidence}, {@code errorOrigin}); {@code source} names where a
 * value not printed in the table came from (e.g. a sentence of the running text). A plain string cell is its own raw.
 */
public record Cell(JsonNode value, JsonNode raw, boolean corrected, String correctionReason, String confidence,
                   String errorOrigin, String source) {

    static Cell of(JsonNode node) {
        if (node == null || node.isNull()) {
            return new Cell(NullNode.getInstance(), NullNode.getInstance(), false, null, null, null, null);
        }
        if (node.isObject() && node.has("raw") && node.has("value")) {
            JsonNode value = node.get("value");
            JsonNode raw = node.get("raw");
            String reason = text(node, "correction_reason");
            boolean corrected = reason != null || !sameReading(raw, value);
            return new Cell(value, raw, corrected, reason, text(node, "confidence"), text(node, "error_origin"),
                    text(node, "source"));
        }
        return new Cell(node, node, false, null, null, null, null);
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

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }
}
