package org.trialwatch.registry.ctgov;

/** ClinicalTrials.gov returned no study for an NCT id. */
public class StudyNotInRegistryException extends RuntimeException {

    public StudyNotInRegistryException(String nctId) {
        super("ClinicalTrials.gov has no study " + nctId);
    }
}
