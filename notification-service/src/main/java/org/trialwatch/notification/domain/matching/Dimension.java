package org.trialwatch.notification.domain.matching;

/** A field a subscription can filter on; each is one column of the matching index. */
public enum Dimension {
    NCT_ID,
    TUMOUR_TYPE,
    MECHANISM,
    THERAPY_CLASS,
    EVENT_TYPE,
    STATUS_TRANSITION,
    EVIDENCE_GROUP
}
