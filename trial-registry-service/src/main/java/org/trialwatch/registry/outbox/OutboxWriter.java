package org.trialwatch.registry.outbox;

import java.nio.charset.StandardCharsets;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;
import org.trialwatch.events.EventJson;
import org.trialwatch.events.TrialEvent;
import org.trialwatch.support.outbox.OutboxSignal;

/**
 * Stores an event in the outbox. Mandatory transaction: the row commits or rolls back with the change it describes,
 * so a rolled-back change publishes nothing and a committed one is never lost.
 */
@ApplicationScoped
public class OutboxWriter {

    private final OutboxSignal signal;

    public OutboxWriter(OutboxSignal signal) {
        this.signal = signal;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void append(TrialEvent event) {
        OutboxEvent row = new OutboxEvent();
        row.eventId = java.util.UUID.fromString(event.eventId());
        row.aggregateId = event.nctId();
        row.eventType = event.type();
        row.sequence = event.sequence();
        row.payload = new String(EventJson.toBytes(event), StandardCharsets.UTF_8);
        row.occurredAt = event.occurredAt();
        row.persist();
        signal.afterCommitWakeRelay();
    }
}
