package org.trialwatch.registry.persistence;

import jakarta.inject.Singleton;
import jakarta.transaction.TransactionSynchronizationRegistry;

import org.trialwatch.support.persistence.CommittedWrites;

/**
 * The counter of this replica's committed changes to trials, for the rendered pages of {@code GET /api/trials}.
 * Every write of a trial row calls {@link #changed()}: {@link TrialRows} for registrations and field changes,
 * the plain-SQL status change through {@link StatusChangeRows} (ADR 0009).
 */
@Singleton // no client proxy: the counter is read on every list request
public class TrialWrites extends CommittedWrites {

    public TrialWrites(TransactionSynchronizationRegistry transactions) {
        super(transactions);
    }
}
