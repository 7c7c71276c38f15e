package org.trialwatch.events;

/** Topic names, declared once. Channel name = topic name in every service's configuration. */
public final class Topics {

    /** Every change to a tracked trial; record key = NCT id, so a trial's events stay in order on one partition. */
    public static final String TRIAL_EVENTS = "trial-events";
    /** Evidence summary changes; record key = group key. */
    public static final String EVIDENCE_EVENTS = "evidence-events";
    /** Records the evidence service could not process, with the reason in headers. */
    public static final String TRIAL_EVENTS_DLQ = "trial-events.evidence-dlq";
    /** Records the notification service could not process. */
    public static final String NOTIFICATION_DLQ = "trialwatch.notification-dlq";

    private Topics() {
    }
}
