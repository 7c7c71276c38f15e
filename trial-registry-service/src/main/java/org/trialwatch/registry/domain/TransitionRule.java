package org.trialwatch.registry.domain;

/**
 * The rules a status change can break, each with the sentence a curator reads in the answer. A rule about one field
 * of the request alone ({@link #field()} not null) is answered 400 naming that field; the others, about the move
 * from the trial's status to the requested one, 422 naming every broken rule.
 */
public enum TransitionRule {
    EFFECTIVE_DATE_IN_FUTURE("effectiveDate", "must not be in the future"),
    SAME_STATUS(null, "a change to the status the trial already has is not a change"),
    TERMINAL_STATUS_NEEDS_CORRECTION(null,
            "COMPLETED, TERMINATED and WITHDRAWN are terminal: leave them only with correction=true and a reason"),
    CORRECTION_NEEDS_REASON(null, "a correction must say why (reason)"),
    WITHDRAWN_ONLY_BEFORE_ENROLMENT(null,
            "WITHDRAWN means the study stopped before enrolling its first participant: only from NOT_YET_RECRUITING"),
    STOP_NEEDS_REASON(null, "TERMINATED and SUSPENDED need a reason (ClinicalTrials.gov's whyStopped)");

    private final String field;
    private final String explanation;

    TransitionRule(String field, String explanation) {
        this.field = field;
        this.explanation = explanation;
    }

    /** The request field a rule about the request alone is about; null for a transition rule. */
    public String field() {
        return field;
    }

    public String explanation() {
        return explanation;
    }
}
