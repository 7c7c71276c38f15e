package org.trialwatch.notification.testing;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;

import org.trialwatch.events.ChangeOrigin;
import org.trialwatch.events.CloudEventHeaders;
import org.trialwatch.events.EventJson;
import org.trialwatch.events.EventTypes;
import org.trialwatch.events.Topics;
import org.trialwatch.events.TrialRegistered;
import org.trialwatch.events.TrialSnapshot;
import org.trialwatch.events.TrialStatus;
import org.trialwatch.events.TrialStatusChanged;

/** Publishes contract events as the registry does: CloudEvents binary mode, built from the contract records. */
public final class ContractEvents {

    private static KafkaProducer<String, byte[]> producer;

    private ContractEvents() {
    }

    private static synchronized KafkaProducer<String, byte[]> producer() {
        if (producer == null) {
            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                    ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));
            p.put(ProducerConfig.ACKS_CONFIG, "all");
            p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
            producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        }
        return producer;
    }

    public static TrialStatusChanged statusChange(String nctId, long sequence, TrialStatus from, TrialStatus to) {
        return new TrialStatusChanged(UUID.randomUUID().toString(), nctId, sequence, Instant.now(),
                "/trial-registry-service", from, to, LocalDate.now(), "Sponsor decision", ChangeOrigin.CURATOR, false);
    }

    public static TrialRegistered registered(String nctId, List<String> tumours, String mechanism, String therapyClass) {
        TrialSnapshot trial = new TrialSnapshot(nctId, "Test trial " + nctId, null, null, null, tumours, null, null,
                null, mechanism, therapyClass, List.of("PHASE2"), null, null, null, null, null, null,
                TrialStatus.RECRUITING, null);
        return new TrialRegistered(UUID.randomUUID().toString(), nctId, 1, Instant.now(), "/trial-registry-service",
                ChangeOrigin.IMPORT, trial);
    }

    /** Publishes with ce_id = the event id, as the registry's outbox relay does; waits for the broker's ack. */
    public static void publish(String topic, String ceId, String type, String subject, byte[] value) {
        publish(topic, ceId, type, subject, value, java.util.Map.of());
    }

    /** Publishes a status change as a traced producer does: with a W3C {@code traceparent} header. */
    public static void publishTraced(TrialStatusChanged e, String traceparent) {
        publish(Topics.TRIAL_EVENTS, e.eventId(), EventTypes.TRIAL_STATUS_CHANGED, e.nctId(), EventJson.toBytes(e),
                java.util.Map.of("traceparent", traceparent));
    }

    private static void publish(String topic, String ceId, String type, String subject, byte[] value,
                                java.util.Map<String, String> extraHeaders) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, subject, value);
        extraHeaders.forEach((name, v) -> record.headers().add(name, bytes(v)));
        record.headers().add(CloudEventHeaders.SPEC_VERSION, bytes(CloudEventHeaders.SPEC_VERSION_VALUE));
        if (ceId != null) {
            record.headers().add(CloudEventHeaders.ID, bytes(ceId));
        }
        record.headers().add(CloudEventHeaders.SOURCE, bytes("/trial-registry-service"));
        record.headers().add(CloudEventHeaders.TYPE, bytes(type));
        record.headers().add(CloudEventHeaders.SUBJECT, bytes(subject));
        record.headers().add(CloudEventHeaders.TIME, bytes(Instant.now().toString()));
        record.headers().add(CloudEventHeaders.CONTENT_TYPE, bytes(CloudEventHeaders.JSON));
        try {
            producer().send(record).get();
        } catch (Exception e) {
            throw new IllegalStateException("cannot publish test event", e);
        }
    }

    public static void publish(TrialStatusChanged e) {
        publish(Topics.TRIAL_EVENTS, e.eventId(), EventTypes.TRIAL_STATUS_CHANGED, e.nctId(), EventJson.toBytes(e));
    }

    public static void publish(TrialRegistered e) {
        publish(Topics.TRIAL_EVENTS, e.eventId(), EventTypes.TRIAL_REGISTERED, e.nctId(), EventJson.toBytes(e));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
