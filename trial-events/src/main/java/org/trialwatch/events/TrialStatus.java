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

    /**
     * Stopped before its planned end: suspended, terminated or withdrawn, the statuses for which ClinicalTrials.gov
     * records a {@code whyStopped}. The one definition every service uses (the registry's sync, the evidence
     * service's "stopped early" counts, the dashboard).
     */
    public boolean isStopped() {
        return this == SUSPENDED || this == TERMINATED || this == WITHDRAWN;
    }

    /** {@link #isStopped()} for a status carried as text in an event or a row; null and unknown names are not stopped. */
    public static boolean isStopped(String status) {
        if (status == null) {
            return false;
        }
        for (TrialStatus s : values()) {
            if (s.name().equals(status)) {
                return s.isStopped();
            }
        }
        return false;
    }
}
