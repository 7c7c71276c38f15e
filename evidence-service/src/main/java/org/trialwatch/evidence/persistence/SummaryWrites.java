package org.trialwatch.evidence.persistence;

import jakarta.inject.Singleton;
import jakarta.transaction.TransactionSynchronizationRegistry;

import org.trialwatch.support.persistence.CommittedWrites;

/**
 * The counter of this replica's committed changes to group summaries, for the rendered pages of
 * {@code GET /api/summaries}: {@link SummaryStore} calls {@link #changed()} with every write of a summary or of a
 * member trial's line of one (ADR 0009).
 */
@Singleton // no client proxy: the counter is read on every list request
public class SummaryWrites extends CommittedWrites {

    public SummaryWrites(TransactionSynchronizationRegistry transactions) {
        super(transactions);
    }
}
