package org.trialwatch.registry.domain;

/** The status transition rules a change can break, each with the sentence a curator reads in the 422 answer. */
public enum TransitionRule {
    SAME_STATUS("a change to the status the trial already has is not a change"),
    TERMINAL_STATUS_NEEDS_CORRECTION(
            "COMPLETED, TERMINATED and WITHDRAWN are terminal: leave them only with correction=true and a reason"),
    CORRECTION_NEEDS_REASON("a correction must say why (reason)"),
    WITHDRAWN_ONLY_BEFORE_ENROLMENT(
            "WITHDRAWN means the study stopped before enrolling its first participant: only from NOT_YET_RECRUITING"),
    STOP_NEEDS_REASON("TERMINATED and SUSPENDED need a reason (ClinicalTrials.gov's whyStopped)");

    private final String explanation;

    TransitionRule(String explanation) {
        this.explanation = explanation;
    }

    public String explanation() {
        return explanation;
    }
}
