package org.trialwatch.support.messaging;

/** What a consumer does about a failure: dead-letter the record, or hold the partition and retry it. */
public enum FailureKind {

    /** The record itself is bad: retrying cannot help, it goes to the dead-letter topic. */
    POISON,

    /** The database, the broker or a timeout: it passes, so the record is retried until it succeeds. */
    TRANSIENT,

    /**
     * Neither recognisably: most likely a bug or an outage we have no rule for. Retried like a transient failure, since
     * dead-lettering a valid event would lose it for good, but logged with its stack so that someone looks.
     */
    UNCLASSIFIED
}
