package org.trialwatch.support.outbox;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.trialwatch.support.tracing.TraceParent;

/**
 * Stores an event in the outbox. Mandatory transaction: the row commits or rolls back with the change it describes,
 * so a rolled-back change publishes nothing and a committed one is never lost. The row keeps the current trace
 * (W3C {@code traceparent}) unless the message names one, so the event continues the trace of the change.
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
        rows.insert(message.traceparent() != null ? message : message.withTraceparent(TraceParent.current()));
        signal.afterCommitWakeRelay();
    }
}
