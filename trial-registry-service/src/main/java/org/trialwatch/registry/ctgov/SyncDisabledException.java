package org.trialwatch.registry.ctgov;

/** The sync has no base URL configured (TRIALWATCH_CTGOV_BASE_URL). */
public class SyncDisabledException extends RuntimeException {

    public SyncDisabledException() {
        super("the ClinicalTrials.gov sync is off: set TRIALWATCH_CTGOV_BASE_URL (e.g. https://clinicaltrials.gov)");
    }
}
