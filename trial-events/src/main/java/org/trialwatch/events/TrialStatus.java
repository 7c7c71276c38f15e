package org.trialwatch.events;

/** ClinicalTrials.gov API v2 {@code overallStatus} enum. A trial whose status nobody verified has none (null). */
public enum TrialStatus {
    NOT_YET_RECRUITING,
    RECRUITING,
    ENROLLING_BY_INVITATION,
    ACTIVE_NOT_RECRUITING,
    SUSPENDED,
    TERMINATED,
    COMPLETED,
    WITHDRAWN,
    UNKNOWN,
    AVAILABLE,
    NO_LONGER_AVAILABLE,
    TEMPORARILY_NOT_AVAILABLE,
    APPROVED_FOR_MARKETING,
    WITHHELD;

    public boolean isTerminal() {
        return this == COMPLETED || this == TERMINATED || this == WITHDRAWN;
    }
}
