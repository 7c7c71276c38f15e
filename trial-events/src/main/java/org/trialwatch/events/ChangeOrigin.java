package org.trialwatch.events;

/** Who caused a change: a curator over REST, the ClinicalTrials.gov sync, or the initial import. */
public enum ChangeOrigin {
    CURATOR,
    CTGOV_SYNC,
    IMPORT
}
