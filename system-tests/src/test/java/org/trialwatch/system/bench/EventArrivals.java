package org.trialwatch.system.bench;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.trialwatch.events.CloudEventHeaders;
import org.trialwatch.events.EventJson;
import org.trialwatch.events.Topics;

/**
 * Notes the moment each event is read from a topic, polling on its own thread (a poll returns as a record arrives).
 * By default the key is the CloudEvent id ({@code ce_id}) on {@code trial-events}; {@link #summaryCauses} keys the
 * summaries on {@code evidence-events} by the trial event behind them, so both can be matched to the curator's change.
 */
final class EventArrivals {

    private final Map<String, Long> arrivals;
    private final String topic;
    private final Function<ConsumerRecord<String, byte[]>, String> keyOf;
    private final Function<String, String> arrivalKeyOf;
    private final KafkaConsumer<String, byte[]> consumer;
    private final Map<String, Boolean> seen = new ConcurrentHashMap<>();
    private final AtomicInteger duplicates = new AtomicInteger();
    private final AtomicLong records = new AtomicLong();
    private final AtomicLong recordBytes = new AtomicLong();
    private volatile boolean running = true;
    private Thread thread;

    EventArrivals(String bootstrap, Map<String, Long> arrivals) {
        this(bootstrap, Topics.TRIAL_EVENTS, EventArrivals::cloudEventId, Function.identity(), arrivals);
    }

    /**
     * {@code keyOf} names what a record is (the same key twice is a duplicate); {@code arrivalKeyOf} maps that to the
     * key under which its first arrival is noted.
     */
    EventArrivals(String bootstrap, String topic, Function<ConsumerRecord<String, byte[]>, String> keyOf,
                  Function<String, String> arrivalKeyOf, Map<String, Long> arrivals) {
        this.arrivals = arrivals;
        this.topic = topic;
        this.keyOf = keyOf;
        this.arrivalKeyOf = arrivalKeyOf;
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "benchmark-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        // fetch.max.wait.ms stays at Kafka's 500 ms: the broker answers a waiting fetch as soon as a record is
        // appended (fetch.min.bytes is 1), so a short wait buys no earlier arrival; 10 ms made the broker answer about
        // 200 empty fetches a second, ~100 ms/s of its CPU that the benchmark then counted as the system's
        consumer = new KafkaConsumer<>(p);
    }

    /**
     * Summaries on {@code evidence-events}, noted by the trial event that caused them ({@code causeEventId}): the first
     * group's new version counts. A duplicate is the same (cause, group) read twice.
     */
    static EventArrivals summaryCauses(String bootstrap, Map<String, Long> arrivals) {
        return new EventArrivals(bootstrap, Topics.EVIDENCE_EVENTS, r -> {
            try {
                String cause = EventJson.mapper().readTree(r.value()).path("causeEventId").asText(null);
                // one change can move several groups: each (cause, group) pair is one summary version
                return cause == null ? null : cause + " " + r.key();
            } catch (java.io.IOException e) {
                return null;
            }
        }, key -> key.substring(0, key.indexOf(' ')), arrivals);
    }

    static String cloudEventId(ConsumerRecord<String, byte[]> r) {
        Header id = r.headers().lastHeader(CloudEventHeaders.ID);
        return id == null ? null : new String(id.value(), StandardCharsets.UTF_8);
    }

    void startAndAwaitAssignment() throws InterruptedException {
        consumer.subscribe(List.of(topic));
        while (consumer.assignment().isEmpty()) {
            consumer.poll(Duration.ofMillis(100));
        }
        consumer.seekToEnd(consumer.assignment());
        consumer.assignment().forEach(consumer::position);
        thread = new Thread(this::loop, "event-arrivals-" + topic);
        thread.start();
    }

    private void loop() {
        while (running) {
            for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                long now = System.nanoTime();
                records.incrementAndGet();
                long size = r.value() == null ? 0 : r.value().length;
                for (Header h : r.headers()) {
                    size += h.key().length() + (h.value() == null ? 0 : h.value().length);
                }
                recordBytes.addAndGet(size + (r.key() == null ? 0 : r.key().length()));
                String key = keyOf.apply(r);
                if (key != null) {
                    if (seen.putIfAbsent(key, Boolean.TRUE) != null) {
                        duplicates.incrementAndGet();
                    }
                    arrivals.putIfAbsent(arrivalKeyOf.apply(key), now);
                }
            }
        }
        consumer.close();
    }

    /** The same event read more than once (a republished record). */
    int duplicates() {
        return duplicates.get();
    }

    /** Mean size of the records read: key, value and headers, in bytes. */
    int meanRecordBytes() {
        long n = records.get();
        return n == 0 ? 0 : (int) (recordBytes.get() / n);
    }

    void stop() throws InterruptedException {
        running = false;
        thread.join();
    }
}
