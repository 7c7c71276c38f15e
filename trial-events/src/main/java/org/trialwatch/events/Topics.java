package org.trialwatch.events;

/**
 * Topic names, declared once. Channel name = topic name in every service's configuration. A dead-letter topic is named
 * {@code <topic>.<service>-dlq}: the topic the poison was read from, and the service that could not take it.
 */
public final class Topics {

    /** Every change to a tracked trial; record key = NCT id, so a trial's events stay in order on one partition. */
    public static final String TRIAL_EVENTS = "trial-events";
    /** Evidence summary changes; record key = group key. */
    public static final String EVIDENCE_EVENTS = "evidence-events";
    /** Records the evidence service could not process, with the reason in headers. */
    public static final String TRIAL_EVENTS_DLQ = "trial-events.evidence-dlq";
    /** Records from {@link #TRIAL_EVENTS} the notification service could not process. */
    public static final String TRIAL_EVENTS_NOTIFICATION_DLQ = "trial-events.notification-dlq";
    /** Records from {@link #EVIDENCE_EVENTS} the notification service could not process. */
    public static final String EVIDENCE_EVENTS_NOTIFICATION_DLQ = "evidence-events.notification-dlq";

    private Topics() {
    }

    /** The dead-letter topic of {@code service} for records read from {@code topic}. */
    public static String deadLetters(String topic, String service) {
        return topic + "." + service + "-dlq";
    }
}
