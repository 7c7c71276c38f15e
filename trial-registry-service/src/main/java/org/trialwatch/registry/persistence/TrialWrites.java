package org.trialwatch.registry.persistence;

import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.spi.CDI;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;

/**
 * A counter of this replica's committed changes to trials, for readers that keep what they rendered from the trial
 * table (rest: the rendered pages of {@code GET /api/trials}). Every write of a trial row calls {@link #changed()}:
 * Hibernate's writes through {@link Trial}'s entity callbacks, the plain-SQL status change through
 * {@link StatusChangeRows}. The counter moves when the write is made and again once its transaction has completed, so a
 * page rendered from a snapshot taken before the commit is never served after the write's transaction returned
 * (ADR 0009).
 */
@ApplicationScoped
public class TrialWrites {

    private final AtomicLong generation = new AtomicLong();
    private final TransactionSynchronizationRegistry transactions;

    public TrialWrites(TransactionSynchronizationRegistry transactions) {
        this.transactions = transactions;
    }

    /** Changes whenever a write of a trial was made or completed: a page rendered under
     * an older value is not served. */
    public long generation() {
        return generation.get();
    }

    /** Called where a trial row is written, inside the writing transaction if there is one. */
    public void changed() {
        generation.incrementAndGet();
        int status = transactions.getTransactionStatus();
        if (status == Status.STATUS_NO_TRANSACTION || status == Status.STATUS_MARKED_ROLLBACK
                || transactions.getResource(TrialWrites.class) != null) {
            return; // auto-committed already, never to commit, or this transaction is already followed
        }
        transactions.putResource(TrialWrites.class, Boolean.TRUE);
        transactions.registerInterposedSynchronization(new Synchronization() {
            @Override
            public void beforeCompletion() {
            }

            @Override
            public void afterCompletion(int status) {
                // committed or not: a rolled-back write changes nothing, and one more move only costs a render
                generation.incrementAndGet();
            }
        });
    }

    /** For {@link Trial}'s entity callbacks, which Hibernate calls on the entity rather than on a bean. */
    static void trialChanged() {
        CDI.current().select(TrialWrites.class).get().changed();
    }
}
