package org.trialwatch.registry.ctgov;

/** ClinicalTrials.gov refused the request itself (a 4xx other than 429, or an unreadable answer): retrying won't help. */
public class CtgovRejectedException extends RuntimeException {

    public CtgovRejectedException(String message) {
        super(message);
    }
}
