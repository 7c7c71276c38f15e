package org.trialwatch.events;

/**
 * Kafka header names of the CloudEvents 1.0 Kafka protocol binding, binary content mode: the event's attributes travel
 * as {@code ce_*} headers, its data is the record value, and {@code content-type} describes the data.
 */
public final class CloudEventHeaders {

    public static final String SPEC_VERSION = "ce_specversion";
    public static final String ID = "ce_id";
    public static final String SOURCE = "ce_source";
    public static final String TYPE = "ce_type";
    public static final String SUBJECT = "ce_subject";
    public static final String TIME = "ce_time";
    public static final String DATA_SCHEMA = "ce_dataschema";
    public static final String CONTENT_TYPE = "content-type";

    public static final String SPEC_VERSION_VALUE = "1.0";
    public static final String JSON = "application/json";

    /** Dead-letter headers: why a record could not be processed. */
    public static final String DLQ_REASON = "dead-letter-reason";
    public static final String DLQ_CAUSE = "dead-letter-cause";

    private CloudEventHeaders() {
    }

    public static String dataSchemaFor(String type) {
        return "urn:trialwatch:schema:" + EventTypes.shortName(type) + ".v1";
    }
}
