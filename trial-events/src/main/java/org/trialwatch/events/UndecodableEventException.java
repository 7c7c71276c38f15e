package org.trialwatch.events;

import java.util.List;

/**
 * A record that is not an event of the contract, and never will be however often it is read: thrown by
 * {@link CloudEventDecoder} with what is wrong as a {@link Reason} and its detail, so each consumer can word its
 * dead-letter reason as it always has.
 */
public class UndecodableEventException extends RuntimeException {

    /** What is wrong with the record, in the order the decoder checks. */
    public enum Reason {
        MISSING_ID, MISSING_TYPE, TYPE_NOT_CARRIED, EMPTY_PAYLOAD, NOT_JSON, NOT_AN_OBJECT, SCHEMA_INVALID, UNREADABLE
    }

    private final Reason reason;
    private final String type;
    private final String detail;
    private final List<String> violations;

    UndecodableEventException(Reason reason, String type, String detail, List<String> violations) {
        super(reason + (detail == null ? "" : ": " + detail));
        this.reason = reason;
        this.type = type;
        this.detail = detail;
        this.violations = violations == null ? List.of() : List.copyOf(violations);
    }

    public Reason reason() {
        return reason;
    }

    /** The {@code ce_type} header, when there was one. */
    public String type() {
        return type;
    }

    /** The parser's or mapper's message, whole (for NOT_JSON and UNREADABLE), else null. */
    public String detail() {
        return detail;
    }

    /** The first line of {@link #detail()}: Jackson's messages go on to quote the source. */
    public String detailFirstLine() {
        if (detail == null) {
            return "no detail";
        }
        int nl = detail.indexOf('\n');
        return nl < 0 ? detail : detail.substring(0, nl);
    }

    /** Every JSON Schema violation (for SCHEMA_INVALID), else empty. */
    public List<String> violations() {
        return violations;
    }
}
