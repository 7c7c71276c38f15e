package org.trialwatch.support.outbox;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

/**
 * Stores an event in the outbox. Mandatory transaction: the row commits or rolls back with the change it describes,
 * so a rolled-back change publishes nothing and a committed one is never lost.
 */
@ApplicationScoped
public class OutboxWriter {

    private final OutboxRows rows;
    private final OutboxSignal signal;

    public OutboxWriter(OutboxRows rows, OutboxSignal signal) {
        this.rows = rows;
        this.signal = signal;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void append(OutboxMessage message) {
        rows.insert(message);
        signal.afterCommitWakeRelay();
    }
}
