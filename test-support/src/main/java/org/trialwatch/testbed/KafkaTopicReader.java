package org.trialwatch.testbed;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.function.Predicate;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads a topic from the beginning with a plain Kafka consumer, as an outside observer would: tests use it to see
 * exactly what a service published (key, headers, value), and how many times.
 */
public final class KafkaTopicReader implements AutoCloseable {

    /** A record as read, with its headers decoded as UTF-8. */
    public record Received(String key, String value, Map<String, String> headers, int partition, long offset) {
        public String header(String name) {
            return headers.get(name);
        }
    }

    private final KafkaConsumer<String, byte[]> consumer;
    private final List<Received> received = new ArrayList<>();

    public KafkaTopicReader(String bootstrapServers, String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "test-reader-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        consumer = new KafkaConsumer<>(p);
        consumer.subscribe(List.of(topic));
    }

    /** The bootstrap servers the tests use: the external broker if one is named, else the shared test broker. */
    public static String testBootstrapServers() {
        String external = KafkaBroker.externalBootstrapServers();
        return external != null ? external : KafkaBroker.shared().bootstrapServers();
    }

    /** Polls for up to {@code timeout} until {@code done} holds for everything read so far; returns all records read. */
    public List<Received> readUntil(Predicate<List<Received>> done, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.test(received) && System.nanoTime() < deadline) {
            poll(Duration.ofMillis(200));
        }
        return List.copyOf(received);
    }

    /** Keeps polling for {@code quietPeriod} and returns everything read (to check that nothing more arrives). */
    public List<Received> readFor(Duration quietPeriod) {
        long deadline = System.nanoTime() + quietPeriod.toNanos();
        while (System.nanoTime() < deadline) {
            poll(Duration.ofMillis(200));
        }
        return List.copyOf(received);
    }

    private void poll(Duration d) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(d)) {
            Map<String, String> headers = new java.util.LinkedHashMap<>();
            for (Header h : r.headers()) {
                headers.put(h.key(), h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8));
            }
            received.add(new Received(r.key(), r.value() == null ? null : new String(r.value(), StandardCharsets.UTF_8),
                    headers, r.partition(), r.offset()));
        }
    }

    public List<TopicPartition> assignment() {
        return List.copyOf(consumer.assignment());
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(2));
    }
}
