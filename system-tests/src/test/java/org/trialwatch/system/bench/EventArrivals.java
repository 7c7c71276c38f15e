package org.trialwatch.system.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.trialwatch.events.CloudEventHeaders;
import org.trialwatch.events.Topics;

/** Notes the moment each event id is read from {@code trial-events}, polling in short intervals on its own thread. */
final class EventArrivals {

    private final Map<String, Long> arrivals;
    private final KafkaConsumer<String, byte[]> consumer;
    private volatile boolean running = true;
    private Thread thread;

    EventArrivals(String bootstrap, Map<String, Long> arrivals) {
        this.arrivals = arrivals;
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "benchmark-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10);
        consumer = new KafkaConsumer<>(p);
    }

    void startAndAwaitAssignment() throws InterruptedException {
        consumer.subscribe(List.of(Topics.TRIAL_EVENTS));
        while (consumer.assignment().isEmpty()) {
            consumer.poll(Duration.ofMillis(100));
        }
        consumer.seekToEnd(consumer.assignment());
        consumer.assignment().forEach(consumer::position);
        thread = new Thread(this::loop, "event-arrivals");
        thread.start();
    }

    private void loop() {
        while (running) {
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(20))) {
                long now = System.nanoTime();
                Header id = r.headers().lastHeader(CloudEventHeaders.ID);
                if (id != null) {
                    arrivals.putIfAbsent(new String(id.value(), StandardCharsets.UTF_8), now);
                }
            }
        }
        consumer.close();
    }

    void stop() throws InterruptedException {
        running = false;
        thread.join();
    }
}
