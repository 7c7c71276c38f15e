package org.trialwatch.support.persistence;

import java.util.concurrent.atomic.AtomicLong;

import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;

/**
 * A counter of this replica's writes to some rows, for readers that keep what they rendered from them (the rendered
 * list pages, {@code RenderedPages}). Every write of such a row calls {@link #changed()}. The counter moves when the
 * write is made and again once its transaction has completed, so a page rendered from a snapshot taken before the
 * commit is never served after the write's transaction returned (ADR 0009). A service makes one bean per kind of row
 * by extending this class.
 */
public abstract class CommittedWrites {

    private final AtomicLong generation = new AtomicLong();
    private final TransactionSynchronizationRegistry transactions;

    protected CommittedWrites(TransactionSynchronizationRegistry transactions) {
        this.transactions = transactions;
    }

    /** Changes whenever a write was made or completed: a page rendered under an older value is not served. */
    public long generation() {
        return generation.get();
    }

    /** Called where a row is written, inside the writing transaction if there is one. */
    public void changed() {
        generation.incrementAndGet();
        int status = transactions.getTransactionStatus();
        Object followed = getClass().getName(); // one synchronization per transaction and kind of row
        if (status == Status.STATUS_NO_TRANSACTION || status == Status.STATUS_MARKED_ROLLBACK
                || transactions.getResource(followed) != null) {
            return; // auto-committed already, never to commit, or this transaction is already followed
        }
        transactions.putResource(followed, Boolean.TRUE);
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
}
