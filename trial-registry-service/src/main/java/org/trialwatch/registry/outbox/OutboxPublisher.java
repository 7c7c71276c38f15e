package org.trialwatch.registry.outbox;

import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Future;

import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.trialwatch.events.CloudEventHeaders;
import org.trialwatch.events.Topics;

/**
 * Sends outbox rows to {@code trial-events} as CloudEvents in binary mode. The producer is the plain Kafka client
 * (configured from every {@code kafka.*} property) so that durability is explicit: {@code acks=all} and idempotence on,
 * which keeps a trial's events in order on its partition even across retries.
 */
@ApplicationScoped
public class OutboxPublisher {

    private final KafkaProducer<String, byte[]> producer;
    private final Map<String, Object> effectiveConfig;

    public OutboxPublisher(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig, OutboxConfig config) {
        Map<String, Object> props = new HashMap<>();
        kafkaConfig.forEach((k, v) -> {
            if (k.startsWith("bootstrap.servers") || k.startsWith("security.") || k.startsWith("sasl.")
                    || k.startsWith("ssl.") || k.startsWith("client.")) {
                props.put(k, v);
            }
        });
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 2);
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        // Never give up on a record: an expired record would let a later event of the same trial overtake it when
        // the relay sends it again. While the broker is away records wait in the producer, in order.
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Integer.MAX_VALUE);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "trial-registry-outbox");
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        this.effectiveConfig = Map.copyOf(props);
        this.producer = new KafkaProducer<>(props);
    }

    /** The producer settings in force, for the test that checks durability is on. */
    public Map<String, Object> effectiveConfig() {
        return effectiveConfig;
    }

    Future<RecordMetadata> send(OutboxEvent row, String source) {
        RecordHeaders headers = new RecordHeaders();
        header(headers, CloudEventHeaders.SPEC_VERSION, CloudEventHeaders.SPEC_VERSION_VALUE);
        header(headers, CloudEventHeaders.ID, row.eventId.toString());
        header(headers, CloudEventHeaders.SOURCE, source);
        header(headers, CloudEventHeaders.TYPE, row.eventType);
        header(headers, CloudEventHeaders.SUBJECT, row.aggregateId);
        header(headers, CloudEventHeaders.TIME, DateTimeFormatter.ISO_INSTANT.format(row.occurredAt));
        header(headers, CloudEventHeaders.DATA_SCHEMA, CloudEventHeaders.dataSchemaFor(row.eventType));
        header(headers, CloudEventHeaders.CONTENT_TYPE, CloudEventHeaders.JSON);
        return producer.send(new ProducerRecord<>(Topics.TRIAL_EVENTS, null, row.aggregateId,
                row.payload.getBytes(StandardCharsets.UTF_8), headers));
    }

    private static void header(RecordHeaders headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    @PreDestroy
    void close() {
        producer.close(java.time.Duration.ofSeconds(5));
    }
}
