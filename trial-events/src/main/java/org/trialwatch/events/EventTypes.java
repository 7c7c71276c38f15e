package org.trialwatch.events;

import java.util.List;

/** CloudEvents {@code ce_type} values of contract v1. */
public final class EventTypes {

    public static final String TRIAL_REGISTERED = "org.trialwatch.trial.registered.v1";
    public static final String TRIAL_STATUS_CHANGED = "org.trialwatch.trial.status-changed.v1";
    public static final String TRIAL_UPDATED = "org.trialwatch.trial.updated.v1";
    public static final String TRIAL_RESULTS_POSTED = "org.trialwatch.trial.results-posted.v1";
    public static final String EVIDENCE_SUMMARY_UPDATED = "org.trialwatch.evidence.summary-updated.v1";

    public static final List<String> TRIAL_TYPES =
            List.of(TRIAL_REGISTERED, TRIAL_STATUS_CHANGED, TRIAL_UPDATED, TRIAL_RESULTS_POSTED);
    public static final List<String> ALL = List.of(TRIAL_REGISTERED, TRIAL_STATUS_CHANGED, TRIAL_UPDATED,
            TRIAL_RESULTS_POSTED, EVIDENCE_SUMMARY_UPDATED);

    private EventTypes() {
    }

    /** The short name used in file names and filters: {@code org.trialwatch.trial.updated.v1} → {@code trial.updated}. */
    public static String shortName(String type) {
        if (!ALL.contains(type)) {
            throw new IllegalArgumentException("unknown event type: " + type);
        }
        return type.substring("org.trialwatch.".length(), type.length() - ".v1".length());
    }

    public static String fromShortName(String shortName) {
        String type = "org.trialwatch." + shortName + ".v1";
        if (!ALL.contains(type)) {
            throw new IllegalArgumentException("unknown event type: " + shortName);
        }
        return type;
    }
}
