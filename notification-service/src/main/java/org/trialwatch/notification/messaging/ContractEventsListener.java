package org.trialwatch.notification.messaging;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
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

import io.opentelemetry.api.trace.SpanKind;
import io.quarkus.runtime.Startup;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

import org.trialwatch.events.Topics;
import org.trialwatch.notification.application.NotificationMetrics;
import org.trialwatch.notification.application.StreamFeed;
import org.trialwatch.support.messaging.ConsumerRetries;
import org.trialwatch.support.messaging.ConsumerSettings;
import org.trialwatch.support.messaging.DeadLetterHeaders;
import org.trialwatch.support.messaging.HoldingRetry;
import org.trialwatch.support.messaging.PoisonRecordException;
import org.trialwatch.support.tracing.TraceParent;
import org.trialwatch.support.tracing.Tracing;
import org.trialwatch.notification.application.EventIntake;
import org.trialwatch.notification.application.IncomingEvent;

/**
 * Consumes both contract topics, a poll's records at a time. Records that break the contract (envelope, type, schema,
 * or a payload that does not read as its type) go to the dead-letter topic of the topic they were read from
 * ({@code <topic>.notification-dlq}) with the reason in a header.
 * The others are taken in order, in transactions of at most {@code trialwatch.consumer.max-records-per-transaction}
 * records. A transaction that fails is split in halves, down to the one record that fails: only that record is held
 * and retried with backoff (with a longer transaction time limit after each timeout) for as long as the failure lasts,
 * which nacks nothing and commits no offset past it; a record that turns out to be poison is dead-lettered instead.
 * At shutdown the hold ends with a failure, which under the channels' {@code fail} strategy commits nothing.
 */
// created at startup, not at the first record, so that its channels show in metrics and readiness from the start
@Startup
@ApplicationScoped
public class ContractEventsListener {

    private static final Logger LOG = Logger.getLogger(ContractEventsListener.class);

    /** A record that passed the contract checks, with the record it came from (for dead-lettering). */
    private record Accepted(ConsumerRecord<String, byte[]> record, IncomingEvent event) {
    }

    private final EventIntake intake;
    private final MutinyEmitter<byte[]> trialEventsDeadLetters;
    private final MutinyEmitter<byte[]> evidenceEventsDeadLetters;
    private final NotificationMetrics metrics;
    private final StreamFeed streamFeed;
    private final ConsumerSettings settings;
    private final HoldingRetry trialEventsRetry;
    private final HoldingRetry evidenceEventsRetry;
    private final Tracing tracing;

    public ContractEventsListener(EventIntake intake,
                                  @Channel(Topics.TRIAL_EVENTS_NOTIFICATION_DLQ) MutinyEmitter<byte[]> trialEventsDeadLetters,
                                  @Channel(Topics.EVIDENCE_EVENTS_NOTIFICATION_DLQ)
                                  MutinyEmitter<byte[]> evidenceEventsDeadLetters,
                                  NotificationMetrics metrics, StreamFeed streamFeed,
                                  ConsumerRetries retries, ConsumerSettings settings, Tracing tracing) {
        this.tracing = tracing;
        this.intake = intake;
        this.trialEventsDeadLetters = trialEventsDeadLetters;
        this.evidenceEventsDeadLetters = evidenceEventsDeadLetters;
        this.metrics = metrics;
        this.streamFeed = streamFeed;
        this.settings = settings;
        this.trialEventsRetry = retries.forChannel(Topics.TRIAL_EVENTS);
        this.evidenceEventsRetry = retries.forChannel(Topics.EVIDENCE_EVENTS);
    }

    @Incoming(Topics.TRIAL_EVENTS)
    @Blocking
    public void trialEvents(ConsumerRecords<String, byte[]> records) {
        take(records, trialEventsRetry);
    }

    @Incoming(Topics.EVIDENCE_EVENTS)
    @Blocking
    public void evidenceEvents(ConsumerRecords<String, byte[]> records) {
        take(records, evidenceEventsRetry);
    }

    /** Takes what one consumer poll returned, in record order; returns only when every record is taken or dead-lettered. */
    void take(ConsumerRecords<String, byte[]> records, HoldingRetry retry) {
        List<Tracing.Traced> spans = new ArrayList<>();
        try {
            take(records, retry, spans);
        } finally {
            spans.forEach(Tracing.Traced::close);
        }
    }

    /**
     * Each record's consumer span continues the trace of its traceparent header (the registry's change, or the
     * evidence consumer's); the notifications it creates keep the span's traceparent for their webhook attempts.
     * The spans end when the poll's records are all taken.
     */
    private void take(ConsumerRecords<String, byte[]> records, HoldingRetry retry, List<Tracing.Traced> spans) {
        List<Accepted> accepted = new ArrayList<>(records.count());
        for (ConsumerRecord<String, byte[]> record : records) {
            Map<String, String> headers = new HashMap<>();
            for (Header h : record.headers()) {
                headers.put(h.key(), h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8));
            }
            EnvelopeCheck.Outcome outcome = EnvelopeCheck.check(record.topic(), headers, record.value());
            Tracing.Traced span = tracing.begin(record.topic() + " process", SpanKind.CONSUMER,
                    headers.get(TraceParent.HEADER));
            spans.add(span);
            span.attribute("messaging.system", "kafka").attribute("messaging.destination.name", record.topic())
                    .attribute("messaging.operation.type", "process")
                    .attribute("messaging.kafka.message.key", record.key())
                    .attribute("messaging.kafka.offset", record.offset());
            if (outcome instanceof EnvelopeCheck.Rejected rejected) {
                span.failed("dead-lettered: " + rejected.reason());
                // what was accepted before this record is taken first, so that a dead letter never overtakes them
                takeInTransactions(accepted, retry);
                accepted.clear();
                deadLetter(record, rejected.reason(), retry);
            } else {
                IncomingEvent event = ((EnvelopeCheck.Accepted) outcome).event().withTraceparent(span.traceparent());
                accepted.add(new Accepted(record, event));
            }
        }
        takeInTransactions(accepted, retry);
    }

    private void takeInTransactions(List<Accepted> accepted, HoldingRetry retry) {
        int max = Math.max(1, settings.maxRecordsPerTransaction());
        for (int from = 0; from < accepted.size(); from += max) {
            takeChunk(accepted.subList(from, Math.min(accepted.size(), from + max)), retry);
        }
    }

    /** One transaction for the chunk; if it fails, each half on its own, down to the single failing record. */
    private void takeChunk(List<Accepted> chunk, HoldingRetry retry) {
        if (chunk.isEmpty()) {
            return;
        }
        if (chunk.size() == 1) {
            takeAlone(chunk.get(0), retry);
            return;
        }
        try {
            store(chunk, settings.transactionTimeout());
        } catch (RuntimeException e) {
            LOG.warnf("taking %d records from %s failed (%s); taking them in smaller transactions to isolate the cause",
                    chunk.size(), describe(chunk.get(0).record()), e.toString());
            int half = chunk.size() / 2;
            takeChunk(chunk.subList(0, half), retry);
            takeChunk(chunk.subList(half, chunk.size()), retry);
        }
    }

    /** Holds the record until it is taken, or dead-letters it when it turns out to be poison. */
    private void takeAlone(Accepted one, HoldingRetry retry) {
        try {
            retry.call(attempt -> {
                store(List.of(one), timeoutFor(attempt));
                return null;
            });
        } catch (PoisonRecordException poison) {
            deadLetter(one.record(), poison.getMessage(), retry);
        }
    }

    /** The time limit of a lone record's {@code attempt}: doubled after each failure, so a large fan-out completes. */
    private Duration timeoutFor(int attempt) {
        Duration timeout = settings.transactionTimeout();
        for (int i = 1; i < attempt && timeout.compareTo(settings.maxTransactionTimeout()) < 0; i++) {
            timeout = timeout.multipliedBy(2);
        }
        return timeout.compareTo(settings.maxTransactionTimeout()) > 0 ? settings.maxTransactionTimeout() : timeout;
    }

    private void store(List<Accepted> chunk, Duration timeout) {
        List<IncomingEvent> events = chunk.stream().map(Accepted::event).toList();
        List<EventIntake.Result> results = metrics.intakeTransaction().record(() -> QuarkusTransaction.requiringNew()
                .timeout((int) Math.max(1, timeout.toSeconds()))
                .call(() -> intake.takeAll(events)));
        int created = 0;
        boolean fresh = false;
        for (EventIntake.Result result : results) {
            if (result.duplicate()) {
                metrics.eventDuplicate();
            } else {
                fresh = true;
                created += result.notifications();
            }
        }
        if (fresh) {
            metrics.notificationsCreated(created);
            // committed: stream now rather than at the next poll (the poll remains for other replicas' events); it
            // only wakes the feed's thread, the consumer goes on at once. The dispatcher is woken by the intake's
            // NotificationsCreated event when the transaction commits.
            streamFeed.pollSoon();
        }
    }

    /**
     * Publishes the record to the dead-letter topic of the topic it came from and waits for the broker's ack, retrying
     * while it is away.
     */
    private void deadLetter(ConsumerRecord<String, byte[]> record, String reason, HoldingRetry retry) {
        LOG.warnf("dead-lettering record %s: %s", describe(record), reason);
        OutgoingKafkaRecordMetadata<String> metadata = OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(record.key())
                .withHeaders(DeadLetterHeaders.of(record, reason, "rejected by notification-service from "
                        + describe(record)))
                .build();
        byte[] value = record.value() == null ? new byte[0] : record.value();
        MutinyEmitter<byte[]> deadLetters = Topics.EVIDENCE_EVENTS.equals(record.topic())
                ? evidenceEventsDeadLetters : trialEventsDeadLetters;
        retry.run(() -> deadLetters.sendMessageAndAwait(Message.of(value).addMetadata(metadata)));
        metrics.eventRejected();
    }

    private static String describe(ConsumerRecord<?, ?> record) {
        return record.topic() + "-" + record.partition() + "@" + record.offset();
    }
}
