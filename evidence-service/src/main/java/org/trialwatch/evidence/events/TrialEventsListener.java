package org.trialwatch.evidence.events;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;
import org.trialwatch.events.Topics;
import org.trialwatch.evidence.pipeline.TrialEventApplier;

import io.smallrye.common.annotation.Blocking;

/**
 * Consumes {@code trial-events}. A record that can never be processed is rethrown as {@link PoisonEventException}; the
 * channel's dead-letter-queue failure strategy then publishes it to {@link Topics#TRIAL_EVENTS_DLQ} with the exception
 * message as {@code dead-letter-reason}, commits past it, and the consumer carries on. Other failures (the database
 * briefly away) are retried first, holding the partition so that order is kept.
 */
@ApplicationScoped
public class TrialEventsListener {

    private static final Logger LOG = Logger.getLogger(TrialEventsListener.class);

    private final TrialEventApplier applier;
    private final EventMetrics metrics;

    public TrialEventsListener(TrialEventApplier applier, EventMetrics metrics) {
        this.applier = applier;
        this.metrics = metrics;
    }

    @Incoming(Topics.TRIAL_EVENTS)
    @Blocking
    @Retry(maxRetries = 5, delay = 500, jitter = 200, abortOn = PoisonEventException.class)
    public void onRecord(ConsumerRecord<String, byte[]> record) {
        TrialEventDecoder.Decoded decoded;
        try {
            decoded = TrialEventDecoder.decode(headers(record), record.key(), record.value());
        } catch (PoisonEventException e) {
            metrics.deadLettered(e.category());
            LOG.warnf("dead-lettering %s-%d@%d: %s", record.topic(), record.partition(), record.offset(), e.getMessage());
            throw e;
        }
        TrialEventApplier.Result result = applier.apply(decoded.eventId(), decoded.event());
        switch (result.outcome()) {
            case DUPLICATE -> metrics.duplicate();
            case STALE -> metrics.stale();
            case APPLIED_AFTER_GAP -> metrics.gap();
            case APPLIED -> { }
        }
        metrics.processed(decoded.type(), result.outcome().name());
        LOG.debugf("%s %s seq %d: %s, groups changed %s", decoded.type(), decoded.event().nctId(),
                decoded.event().sequence(), result.outcome(), result.groupsChanged());
    }

    private static Map<String, String> headers(ConsumerRecord<String, byte[]> record) {
        Map<String, String> out = new HashMap<>();
        for (Header h : record.headers()) {
            if (h.value() != null) {
                out.put(h.key(), new String(h.value(), StandardCharsets.UTF_8));
            }
        }
        return out;
    }
}
