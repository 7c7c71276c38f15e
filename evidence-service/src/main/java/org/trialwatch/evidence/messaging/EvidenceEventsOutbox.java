package org.trialwatch.evidence.messaging;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.trialwatch.events.Topics;
import org.trialwatch.evidence.config.EvidenceConfig;
import org.trialwatch.support.outbox.OutboxDestination;

/**
 * The evidence service's outbox is service-support's ({@code org.trialwatch.support.outbox}: writer, relay, producer,
 * parking, purge, health, metrics, settings {@code trialwatch.outbox.*}); this says where it publishes:
 * {@code evidence-events}, keyed and with {@code ce_subject} = group key, {@code ce_source} = {@code trialwatch.events.source}.
 */
@ApplicationScoped
public class EvidenceEventsOutbox {

    @Produces
    @Singleton
    OutboxDestination evidenceEvents(EvidenceConfig config) {
        return new OutboxDestination(Topics.EVIDENCE_EVENTS, config.events().source(), "evidence-outbox");
    }
}
