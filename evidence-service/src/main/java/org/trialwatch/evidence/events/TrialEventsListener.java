package org.trialwatch.evidence.events;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;
import org.trialwatch.events.Topics;
import org.trialwatch.evidence.pipeline.TrialEventApplier;
import org.trialwatch.support.messaging.ConsumerRetries;
import org.trialwatch.support.messaging.DeadLetterHeaders;
import org.trialwatch.support.messaging.HoldingRetry;
import org.trialwatch.support.tracing.TraceParent;
import org.trialwatch.support.tracing.Tracing;

import io.opentelemetry.api.trace.SpanKind;
import io.quarkus.runtime.Startup;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/**
 * Consumes {@code trial-events}, one record at a time and in order. A record that can never be processed
 * ({@link PoisonEventException}: malformed, unknown type, schema-invalid, or a change that cannot be applied) is
 * published to {@link Topics#TRIAL_EVENTS_DLQ} with the reason in {@code dead-letter-reason}, and the consumer moves
 * on. Any other failure (the database or the broker away, a timeout, or something unforeseen) is retried with a
 * capped exponential backoff for as long as it lasts: the record is neither acknowledged nor skipped, so its offset is
 * not committed and the records behind it wait (the connector pauses the partition while its buffer is full). At
 * shutdown the retry ends with a failure, which under the channel's {@code fail} strategy commits nothing.
 * <p>
 * A record's {@code traceparent} header (the trace of the registry change) is continued by a consumer span, current
 * while the record is applied, so the evidence events it causes carry the same trace on (the outbox stores it).
 */
// created at startup, not at the first record, so that its channels show in metrics and readiness from the start
@Startup
@ApplicationScoped
public class TrialEventsListener {

    private static final Logger LOG = Logger.getLogger(TrialEventsListener.class);

    private final TrialEventApplier applier;
    private final EventMetrics metrics;
    private final MutinyEmitter<byte[]> deadLetters;
    private final HoldingRetry retry;
    private final Tracing tracing;

    public TrialEventsListener(TrialEventApplier applier, EventMetrics metrics, ConsumerRetries retries,
                               @Channel(Topics.TRIAL_EVENTS_DLQ) MutinyEmitter<byte[]> deadLetters, Tracing tracing) {
        this.tracing = tracing;
        this.applier = applier;
        this.metrics = metrics;
        this.deadLetters = deadLetters;
        this.retry = retries.forChannel(Topics.TRIAL_EVENTS);
    }

    @Incoming(Topics.TRIAL_EVENTS)
    @Blocking
    public void onRecord(ConsumerRecord<String, byte[]> record) {
        Map<String, String> headers = headers(record);
        try (Tracing.Traced span = tracing.start(record.topic() + " process", SpanKind.CONSUMER,
                headers.get(TraceParent.HEADER))) {
            span.attribute("messaging.system", "kafka").attribute("messaging.destination.name", record.topic())
                    .attribute("messaging.operation.type", "process")
                    .attribute("messaging.kafka.message.key", record.key())
                    .attribute("messaging.kafka.offset", record.offset());
            take(record, headers, span);
        }
    }

    private void take(ConsumerRecord<String, byte[]> record, Map<String, String> headers, Tracing.Traced span) {
        TrialEventDecoder.Decoded decoded;
        try {
            decoded = TrialEventDecoder.decode(headers, record.key(), record.value());
        } catch (PoisonEventException e) {
            span.failed("dead-lettered: " + e.getMessage());
            deadLetter(record, e);
            return;
        }
        TrialEventApplier.Result result;
        try {
            result = retry.call(() -> applier.apply(decoded.eventId(), decoded.event()));
        } catch (PoisonEventException e) {
            span.failed("dead-lettered: " + e.getMessage());
            deadLetter(record, e);
            return;
        }
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

    /** Publishes the record to the dead-letter topic, waiting for the broker's ack (retried while it is away). */
    private void deadLetter(ConsumerRecord<String, byte[]> record, PoisonEventException poison) {
        LOG.warnf("dead-lettering %s-%d@%d: %s", record.topic(), record.partition(), record.offset(), poison.getMessage());
        OutgoingKafkaRecordMetadata<String> metadata = OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(record.key())
                .withHeaders(DeadLetterHeaders.of(record, poison.getMessage(), PoisonEventException.class.getName()))
                .build();
        byte[] value = record.value() == null ? new byte[0] : record.value();
        retry.run(() -> deadLetters.sendMessageAndAwait(Message.of(value).addMetadata(metadata)));
        metrics.deadLettered(poison.category());
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
