package org.trialwatch.evidence.persistence;

import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Status;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;

/**
 * A counter of this replica's committed changes to group summaries, for readers that keep what they rendered from
 * them (rest: the rendered pages of {@code GET /api/summaries}). {@link SummaryStore} calls {@link #changed()} with
 * every write of a summary or of a member trial's line of one. The counter moves when the write is made and again once
 * its transaction has completed, so a page rendered from a snapshot taken before the commit is never served after the
 * write's transaction returned (ADR 0009).
 */
@ApplicationScoped
public class SummaryWrites {

    private final AtomicLong generation = new AtomicLong();
    private final TransactionSynchronizationRegistry transactions;

    public SummaryWrites(TransactionSynchronizationRegistry transactions) {
        this.transactions = transactions;
    }

    /** Changes whenever a write of a summary was made or completed: a page rendered under
     * an older value is not served. */
    public long generation() {
        return generation.get();
    }

    /** Called where a summary row is written, inside the writing transaction if there is one. */
    public void changed() {
        generation.incrementAndGet();
        int status = transactions.getTransactionStatus();
        if (status == Status.STATUS_NO_TRANSACTION || status == Status.STATUS_MARKED_ROLLBACK
                || transactions.getResource(SummaryWrites.class) != null) {
            return; // auto-committed already, never to commit, or this transaction is already followed
        }
        transactions.putResource(SummaryWrites.class, Boolean.TRUE);
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
