package org.trialwatch.events;

import java.time.Instant;

/** What every trial event payload carries. {@code sequence} is per trial, strictly increasing from 1. */
public sealed interface TrialEvent permits TrialRegistered, TrialStatusChanged, TrialUpdated, TrialResultsPosted {

    String eventId();

    String nctId();

    long sequence();

    Instant occurredAt();

    String source();

    /** The CloudEvents type of this payload. */
    String type();
}
