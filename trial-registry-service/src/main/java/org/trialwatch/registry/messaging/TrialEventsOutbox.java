package org.trialwatch.registry.messaging;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import jakarta.transaction.Transactional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.trialwatch.events.EventJson;
import org.trialwatch.events.Topics;
import org.trialwatch.events.TrialEvent;
import org.trialwatch.support.outbox.OutboxDestination;
import org.trialwatch.support.outbox.OutboxMessage;
import org.trialwatch.support.outbox.OutboxWriter;

/**
 * The registry's side of the shared outbox ({@code org.trialwatch.support.outbox}): trial events go to
 * {@code trial-events}, keyed and with {@code ce_subject} = NCT id, {@code ce_id} = the event's id. Mandatory
 * transaction: the row commits or rolls back with the change it describes.
 */
@ApplicationScoped
public class TrialEventsOutbox {

    private final OutboxWriter writer;

    public TrialEventsOutbox(OutboxWriter writer) {
        this.writer = writer;
    }

    @Transactional(Transactional.TxType.MANDATORY)
    public void append(TrialEvent event) {
        writer.append(new OutboxMessage(UUID.fromString(event.eventId()), event.nctId(), event.type(),
                event.occurredAt(), new String(EventJson.toBytes(event), StandardCharsets.UTF_8)));
    }

    @Produces
    @Singleton
    static OutboxDestination trialEvents(
            @ConfigProperty(name = "trialwatch.events.source", defaultValue = "/trial-registry-service") String source) {
        return new OutboxDestination(Topics.TRIAL_EVENTS, source, "trial-registry-outbox");
    }
}
