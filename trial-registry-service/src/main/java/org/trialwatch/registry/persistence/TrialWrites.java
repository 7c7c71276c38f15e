package org.trialwatch.registry.persistence;

import jakarta.inject.Singleton;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.transaction.TransactionSynchronizationRegistry;

import org.trialwatch.support.persistence.CommittedWrites;

/**
 * The counter of this replica's committed changes to trials, for the rendered pages of {@code GET /api/trials}.
 * Every write of a trial row calls {@link #changed()}: Hibernate's writes through {@link Trial}'s entity callbacks,
 * the plain-SQL status change through {@link StatusChangeRows} (ADR 0009).
 */
@Singleton // no client proxy: the counter is read on every list request
public class TrialWrites extends CommittedWrites {

    public TrialWrites(TransactionSynchronizationRegistry transactions) {
        super(transactions);
    }

    /** For {@link Trial}'s entity callbacks, which Hibernate calls on the entity rather than on a bean. */
    static void trialChanged() {
        CDI.current().select(TrialWrites.class).get().changed();
    }
}
