package org.trialwatch.evidence.messaging;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;
import org.trialwatch.events.Topics;
import org.trialwatch.evidence.application.TrialEventApplier;
import org.trialwatch.evidence.domain.trial.UnappliableEventException;
import org.trialwatch.support.messaging.ConsumerRetries;
import org.trialwatch.support.messaging.ConsumerSettings;
import org.trialwatch.support.messaging.DeadLetterHeaders;
import org.trialwatch.support.messaging.HoldingRetry;
import org.trialwatch.support.tracing.TraceParent;
import org.trialwatch.support.tracing.Tracing;

import io.opentelemetry.api.trace.SpanKind;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.Startup;
import io.smallrye.common.annotation.Blocking;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/**
 * Consumes {@code trial-events}, a poll's records at a time and in order. A record that can never be processed
 * ({@link PoisonEventException}: malformed, unknown type, schema-invalid, or a change that cannot be applied) is
 * published to {@link Topics#TRIAL_EVENTS_DLQ} with the reason in {@code dead-letter-reason}, and the consumer moves
 * on. The others are applied in order, in transactions of at most
 * {@code trialwatch.consumer.max-records-per-transaction} records (one commit for many events, instead of one each).
 * A transaction that fails is split in halves, down to the one record that fails: a poison record is dead-lettered;
 * any other failure (the database or the broker away, a timeout, or something unforeseen) is retried with a capped
 * exponential backoff for as long as it lasts: the record is neither acknowledged nor skipped, so its offset is not
 * committed and the records behind it wait. At shutdown the retry ends with a failure, which under the channel's
 * {@code fail} strategy commits nothing.
 * <p>
 * A record's {@code traceparent} header (the trace of the registry change) is continued by a consumer span, current
 * while the record is applied, so the evidence events it causes carry the same trace on (the outbox stores it).
 */
// created at startup, not at the first record, so that its channels show in metrics and readiness from the start
@Startup
@ApplicationScoped
public class TrialEventsListener {

    private static final Logger LOG = Logger.getLogger(TrialEventsListener.class);

    /** A record that decoded, with the record it came from (for dead-lettering). */
    private record Accepted(ConsumerRecord<String, byte[]> record, TrialEventDecoder.Decoded decoded,
                            String traceparent) {
    }

    private final TrialEventApplier applier;
    private final EventMetrics metrics;
    private final MutinyEmitter<byte[]> deadLetters;
    private final HoldingRetry retry;
    private final ConsumerSettings settings;
    private final Tracing tracing;

    public TrialEventsListener(TrialEventApplier applier, EventMetrics metrics, ConsumerRetries retries,
                               @Channel(Topics.TRIAL_EVENTS_DLQ) MutinyEmitter<byte[]> deadLetters,
                               ConsumerSettings settings, Tracing tracing) {
        this.tracing = tracing;
        this.applier = applier;
        this.metrics = metrics;
        this.deadLetters = deadLetters;
        this.retry = retries.forChannel(Topics.TRIAL_EVENTS);
        this.settings = settings;
    }

    @Incoming(Topics.TRIAL_EVENTS)
    @Blocking
    public void onRecords(ConsumerRecords<String, byte[]> records) {
        List<Accepted> accepted = new ArrayList<>(records.count());
        for (ConsumerRecord<String, byte[]> record : records) {
            Map<String, String> headers = headers(record);
            try {
                accepted.add(new Accepted(record, TrialEventDecoder.decode(headers, record.key(), record.value()),
                        headers.get(TraceParent.HEADER)));
            } catch (PoisonEventException e) {
                // what decoded before this record is applied first, so that a dead letter never overtakes it
                applyInTransactions(accepted);
                accepted.clear();
                try (Tracing.Traced span = span(record, headers.get(TraceParent.HEADER))) {
                    span.failed("dead-lettered: " + e.getMessage());
                    deadLetter(record, e);
                }
            }
        }
        applyInTransactions(accepted);
    }

    private void applyInTransactions(List<Accepted> accepted) {
        int max = Math.max(1, settings.maxRecordsPerTransaction());
        for (int from = 0; from < accepted.size(); from += max) {
            applyChunk(accepted.subList(from, Math.min(accepted.size(), from + max)));
        }
    }

    /** One transaction for the chunk; if it fails, each half on its own, down to the single failing record. */
    private void applyChunk(List<Accepted> chunk) {
        if (chunk.isEmpty()) {
            return;
        }
        if (chunk.size() == 1) {
            applyAlone(chunk.get(0));
            return;
        }
        List<TrialEventApplier.Result> results;
        try {
            results = metrics.transaction().record(() -> QuarkusTransaction.requiringNew()
                    .timeout((int) Math.max(1, settings.transactionTimeout().toSeconds()))
                    .call(() -> {
                        // the chunk's processed-event rows, trials and their groups in three statements, not per event
                        TrialEventApplier.Batch batch = applier.prepare(chunk.stream()
                                .map(a -> new TrialEventApplier.Incoming(a.decoded().eventId(), a.decoded().event()))
                                .toList());
                        List<TrialEventApplier.Result> applied = new ArrayList<>(chunk.size());
                        for (Accepted one : chunk) {
                            try (Tracing.Traced span = span(one.record(), one.traceparent())) {
                                applied.add(apply(() -> applier.apply(batch, one.decoded().eventId(),
                                        one.decoded().event())));
                            }
                        }
                        // the status changes' trial states, summary versions and events, one batch each
                        applier.finish(batch);
                        return applied;
                    }));
        } catch (RuntimeException e) {
            Accepted first = chunk.get(0);
            LOG.warnf("applying %d records from %s-%d@%d failed (%s); applying them in smaller transactions to "
                    + "isolate the cause", chunk.size(), first.record().topic(), first.record().partition(),
                    first.record().offset(), e.toString());
            int half = chunk.size() / 2;
            applyChunk(chunk.subList(0, half));
            applyChunk(chunk.subList(half, chunk.size()));
            return;
        }
        for (int i = 0; i < chunk.size(); i++) {
            counted(chunk.get(i), results.get(i));
        }
    }

    /** Holds the record until it is applied, or dead-letters it when it turns out to be poison. */
    private void applyAlone(Accepted one) {
        TrialEventApplier.Result result;
        try (Tracing.Traced span = span(one.record(), one.traceparent())) {
            try {
                // each try is timed as a transaction (the waits between tries are not)
                result = retry.call(() -> metrics.transaction().record(
                        () -> apply(() -> applier.apply(one.decoded().eventId(), one.decoded().event()))));
            } catch (PoisonEventException e) {
                span.failed("dead-lettered: " + e.getMessage());
                deadLetter(one.record(), e);
                return;
            }
        }
        counted(one, result);
    }

    /** Applies one record; an event the applier cannot apply to its trial is poison, dead-lettered as unappliable. */
    private static TrialEventApplier.Result apply(java.util.function.Supplier<TrialEventApplier.Result> application) {
        try {
            return application.get();
        } catch (UnappliableEventException e) {
            throw new PoisonEventException("unappliable", e.getMessage());
        }
    }

    /**
     * The record's consumer span, continuing its traceparent header and current until closed: the evidence events
     * written meanwhile take its trace into the outbox. In a batch, each record gets its own, around its own apply.
     */
    private Tracing.Traced span(ConsumerRecord<String, byte[]> record, String traceparent) {
        return tracing.start(record.topic() + " process", SpanKind.CONSUMER, traceparent)
                .attribute("messaging.system", "kafka").attribute("messaging.destination.name", record.topic())
                .attribute("messaging.operation.type", "process")
                .attribute("messaging.kafka.message.key", record.key())
                .attribute("messaging.kafka.offset", record.offset());
    }

    private void counted(Accepted one, TrialEventApplier.Result result) {
        TrialEventDecoder.Decoded decoded = one.decoded();
        metrics.committed(one.record().timestamp());
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
