package org.trialwatch.support.outbox;

import java.util.List;

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
        rows.insert(traced(message));
        signal.afterCommitWakeRelay();
    }

    /**
     * The message as {@link #append} would store it now: with the current trace, unless it names one. For messages
     * gathered while several changes are made (each under its own span) and stored together later by
     * {@link #appendAll}: the trace is the one current when the message was made, not when it is stored.
     */
    public OutboxMessage traced(OutboxMessage message) {
        return message.traceparent() != null ? message : message.withTraceparent(TraceParent.current());
    }

    /**
     * Stores the messages in one statement, in their order (publishing order), each with the trace it carries (see
     * {@link #traced}; the current one is not added, as by then it is no longer theirs), and wakes the relay once
     * after commit. Mandatory transaction, as {@link #append}.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public void appendAll(List<OutboxMessage> messages) {
        if (messages.isEmpty()) {
            return;
        }
        rows.insertAll(messages);
        signal.afterCommitWakeRelay();
    }
}
