package org.trialwatch.notification.intake;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

import org.trialwatch.events.CloudEventHeaders;
import org.trialwatch.events.Topics;
import org.trialwatch.notification.delivery.DeliveryDispatcher;
import org.trialwatch.notification.metrics.NotificationMetrics;
import org.trialwatch.notification.stream.StreamFeed;

/**
 * Consumes both contract topics, a poll's records at a time. Records that break the contract go to the notification dead-letter topic with the
 * reason in a header and are skipped; a failure to store (the database is down, say) is retried a few times and then
 * fails the channel, so the offset is not committed and nothing is lost (readiness turns red and the pod restarts).
 */
@ApplicationScoped
public class ContractEventsListener {

    private static final Logger LOG = Logger.getLogger(ContractEventsListener.class);
    private static final int STORE_ATTEMPTS = 5;

    private final EventIntake intake;
    private final MutinyEmitter<byte[]> deadLetters;
    private final NotificationMetrics metrics;
    private final DeliveryDispatcher dispatcher;
    private final StreamFeed streamFeed;

    public ContractEventsListener(EventIntake intake, @Channel(Topics.NOTIFICATION_DLQ) MutinyEmitter<byte[]> deadLetters,
                                  NotificationMetrics metrics, DeliveryDispatcher dispatcher, StreamFeed streamFeed) {
        this.intake = intake;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
        this.dispatcher = dispatcher;
        this.streamFeed = streamFeed;
    }

    @Incoming(Topics.TRIAL_EVENTS)
    @Blocking
    public void trialEvents(ConsumerRecords<String, byte[]> records) throws InterruptedException {
        take(records);
    }

    @Incoming(Topics.EVIDENCE_EVENTS)
    @Blocking
    public void evidenceEvents(ConsumerRecords<String, byte[]> records) throws InterruptedException {
        take(records);
    }

    /**
     * Takes what one consumer poll returned: records breaking the contract are dead-lettered, the others are stored
     * in one transaction (one commit per poll rather than per event, which is what bounds the event rate).
     */
    void take(ConsumerRecords<String, byte[]> records) throws InterruptedException {
        List<IncomingEvent> accepted = new ArrayList<>(records.count());
        for (ConsumerRecord<String, byte[]> record : records) {
            Map<String, String> headers = new HashMap<>();
            for (Header h : record.headers()) {
                headers.put(h.key(), h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8));
            }
            EnvelopeCheck.Outcome outcome = EnvelopeCheck.check(record.topic(), headers, record.value());
            if (outcome instanceof EnvelopeCheck.Rejected rejected) {
                deadLetter(record, rejected.reason());
            } else {
                accepted.add(((EnvelopeCheck.Accepted) outcome).event());
            }
        }
        if (accepted.isEmpty()) {
            return;
        }
        for (int attempt = 1; ; attempt++) {
            try {
                List<EventIntake.Result> results = intake.takeAll(accepted);
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
                    // committed: send and stream now rather than at the next poll (the polls remain for other
                    // replicas' events and for retries); both only wake their own thread, the consumer goes on at once
                    if (created > 0) {
                        dispatcher.dispatchDue();
                    }
                    streamFeed.pollSoon();
                }
                return;
            } catch (RuntimeException e) {
                if (attempt >= STORE_ATTEMPTS) {
                    throw e;
                }
                LOG.warnf(e, "storing %d events from %s failed (attempt %d), retrying", accepted.size(),
                        accepted.get(0).id(), attempt);
                Thread.sleep(200L << attempt);
            }
        }
    }

    private void deadLetter(ConsumerRecord<String, byte[]> record, String reason) {
        LOG.warnf("dead-lettering record %s-%d@%d: %s", record.topic(), record.partition(), record.offset(), reason);
        metrics.eventRejected();
        RecordHeaders headers = new RecordHeaders();
        record.headers().forEach(headers::add);
        headers.add(CloudEventHeaders.DLQ_REASON, reason.getBytes(StandardCharsets.UTF_8));
        headers.add(CloudEventHeaders.DLQ_CAUSE, ("rejected by notification-service from " + record.topic() + "-"
                + record.partition() + "@" + record.offset()).getBytes(StandardCharsets.UTF_8));
        OutgoingKafkaRecordMetadata<String> metadata = OutgoingKafkaRecordMetadata.<String>builder()
                .withKey(record.key()).withHeaders(headers).build();
        byte[] value = record.value() == null ? new byte[0] : record.value();
        deadLetters.sendMessageAndAwait(Message.of(value).addMetadata(metadata));
    }
}
