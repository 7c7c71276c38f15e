package org.trialwatch.support.outbox;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.smallrye.common.annotation.Identifier;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.trialwatch.events.CloudEventHeaders;
import org.trialwatch.support.tracing.TraceParent;

/**
 * Sends outbox rows as CloudEvents in binary mode. The producer is the plain Kafka client (its connection settings
 * taken from the {@code kafka.*} properties) so that durability is explicit rather than a connector's default:
 * {@code acks=all} and idempotence on, which keeps a key's events in order on its partition across retries, and an
 * unbounded {@code delivery.timeout.ms}: the producer never gives up on a record (ADR 0002).
 */
@ApplicationScoped
public class OutboxProducer {

    private final OutboxDestination destination;
    private final Map<String, Object> effectiveConfig;
    private final Map<String, Object> connectionConfig;
    private final KafkaProducer<String, byte[]> producer;
    private volatile Admin admin;

    public OutboxProducer(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig,
                          OutboxDestination destination) {
        this.destination = destination;
        Map<String, Object> connection = new HashMap<>();
        kafkaConfig.forEach((k, v) -> {
            if (k.startsWith("bootstrap.servers") || k.startsWith("security.") || k.startsWith("sasl.")
                    || k.startsWith("ssl.")) {
                connection.put(k, v);
            }
        });
        this.connectionConfig = Map.copyOf(connection);
        Map<String, Object> props = new HashMap<>(connection);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 2);
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000);
        // Never give up on a record: an expired record would let a later event of the same key overtake it when the
        // relay sent it again. While the broker is away records wait in the producer, in order.
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Integer.MAX_VALUE);
        props.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, destination.clientId());
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        this.effectiveConfig = Map.copyOf(props);
        this.producer = new KafkaProducer<>(props);
    }

    /** The producer settings in force, for the tests that check durability is on. */
    public Map<String, Object> effectiveConfig() {
        return effectiveConfig;
    }

    public OutboxDestination destination() {
        return destination;
    }

    Future<RecordMetadata> send(OutboxMessage m) {
        RecordHeaders headers = new RecordHeaders();
        header(headers, CloudEventHeaders.SPEC_VERSION, CloudEventHeaders.SPEC_VERSION_VALUE);
        header(headers, CloudEventHeaders.ID, m.eventId().toString());
        header(headers, CloudEventHeaders.SOURCE, destination.source());
        header(headers, CloudEventHeaders.TYPE, m.eventType());
        header(headers, CloudEventHeaders.SUBJECT, m.aggregateId());
        header(headers, CloudEventHeaders.TIME, DateTimeFormatter.ISO_INSTANT.format(m.occurredAt()));
        header(headers, CloudEventHeaders.DATA_SCHEMA, CloudEventHeaders.dataSchemaFor(m.eventType()));
        header(headers, CloudEventHeaders.CONTENT_TYPE, CloudEventHeaders.JSON);
        if (m.traceparent() != null) {
            // the trace of the change that wrote the row, not of this relay round: the consumer's span joins it
            header(headers, TraceParent.HEADER, m.traceparent());
        }
        return producer.send(new ProducerRecord<>(destination.topic(), null, m.aggregateId(),
                m.payload().getBytes(StandardCharsets.UTF_8), headers));
    }

    /** Whether the broker answers a cluster description within {@code timeout}; for health detail and metrics. */
    boolean brokerReachable(Duration timeout) {
        try {
            return !admin().describeCluster(new DescribeClusterOptions().timeoutMs((int) timeout.toMillis()))
                    .nodes().get(timeout.toMillis() + 500, TimeUnit.MILLISECONDS).isEmpty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (Exception e) {
            return false;
        }
    }

    private Admin admin() {
        Admin a = admin;
        if (a == null) {
            synchronized (this) {
                if (admin == null) {
                    Map<String, Object> props = new HashMap<>(connectionConfig);
                    props.put(AdminClientConfig.CLIENT_ID_CONFIG, destination.clientId() + "-health");
                    props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3_000);
                    props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 3_000);
                    admin = Admin.create(props);
                }
                a = admin;
            }
        }
        return a;
    }

    private static void header(RecordHeaders headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    @PreDestroy
    void close() {
        producer.close(Duration.ofSeconds(5));
        if (admin != null) {
            admin.close(Duration.ofSeconds(2));
        }
    }
}
