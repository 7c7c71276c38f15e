package org.trialwatch.evidence.bench;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.trialwatch.events.EventJson;
import org.trialwatch.events.EventSchemas;
import org.trialwatch.events.EventTypes;
import org.trialwatch.events.Topics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * How the evidence service's consumer copes with a large group: prints figures, asserts nothing.
 *
 * <p>Against a running evidence service (its own broker and database, never the local system's): registers one trial
 * through trial-events, clones it in the service's database into {@code trials - 2} more members of the same groups
 * (cheap set-up: the state is what a registration of each would leave, without the registrations' cost), registers
 * one more through trial-events — that recomputes the groups from all {@code trials} members — and then measures
 * <ol>
 *   <li>burst: {@code burst} trial.status-changed events produced at once; the consumer's processing rate (from the
 *       first send to the last {@code processed_event} row) and send → {@code summary-updated} received latency;</li>
 *   <li>paced: {@code paced} events one at a time, {@code pacedMillis} apart; send → its processed_event row visible
 *       (committed) and send → {@code summary-updated} received.</li>
 * </ol>
 * Run (after {@code mvn -o -pl evidence-service test-compile} and {@code dependency:build-classpath}):
 * <pre>
 * java -cp evidence-service/target/test-classes:$(cat /tmp/ev-cp.txt) \
 *   -Dbench.bootstrap=127.0.0.1:19092 -Dbench.jdbc=jdbc:postgresql://127.0.0.1:5432/bench_ev -Dbench.user=postgres \
 *   -Dbench.trials=2000 -Dbench.burst=2000 -Dbench.paced=40 org.trialwatch.evidence.bench.GroupSizeBench
 * </pre>
 * Run it once per fresh database: member NCT ids are fixed ({@code NCT9xxxxxxx}).
 */
public final class GroupSizeBench {

    private static final String TEMPLATE = "NCT90000000";

    private final String bootstrap = System.getProperty("bench.bootstrap", "127.0.0.1:19092");
    private final String jdbc = System.getProperty("bench.jdbc", "jdbc:postgresql://127.0.0.1:5432/bench_ev");
    private final String user = System.getProperty("bench.user", "postgres");
    private final String password = System.getProperty("bench.password", "");
    private final int trials = Integer.getInteger("bench.trials", 2000);
    private final int burst = Integer.getInteger("bench.burst", 2000);
    private final int paced = Integer.getInteger("bench.paced", 40);
    private final int pacedMillis = Integer.getInteger("bench.pacedMillis", 250);
    private final String run = System.getProperty("bench.run", Long.toString(System.currentTimeMillis(), 36));

    private final Map<String, Integer> sequence = new HashMap<>();
    private final Map<String, String> status = new HashMap<>();
    /** ce id → nanoTime of the send, and of the first summary-updated naming it as cause. */
    private final Map<String, Long> sentAt = new ConcurrentHashMap<>();
    private final Map<String, Long> updatedAt = new ConcurrentHashMap<>();
    private final AtomicBoolean reading = new AtomicBoolean(true);

    public static void main(String[] args) throws Exception {
        new GroupSizeBench().run();
    }

    private void run() throws Exception {
        try (KafkaProducer<String, byte[]> producer = producer(); Connection db = DriverManager.getConnection(jdbc, user, password)) {
            db.setAutoCommit(true);
            // 1. set-up: template by event, clones by SQL, the last member by event (full recompute over all members)
            send(producer, "bench-reg-" + TEMPLATE, EventTypes.TRIAL_REGISTERED, registered(TEMPLATE)).get();
            awaitProcessed(db, List.of("bench-reg-" + TEMPLATE), Duration.ofSeconds(60));
            clone(db, trials - 2);
            String last = nct(trials - 1);
            long t0 = System.nanoTime();
            send(producer, "bench-reg-" + last, EventTypes.TRIAL_REGISTERED, registered(last)).get();
            awaitProcessed(db, List.of("bench-reg-" + last), Duration.ofMinutes(5));
            long fullMs = (System.nanoTime() - t0) / 1_000_000;
            // A set-up artefact: that one summary-updated lists every cloned trial as joining (megabytes, more than
            // the producer's max.request.size) and would hold the relay; it is not part of what is measured.
            try (PreparedStatement ps = db.prepareStatement(
                    "UPDATE outbox_event SET sent_at = now() WHERE sent_at IS NULL AND length(payload) > 900000")) {
                ps.executeUpdate();
            }
            List<String> members = new ArrayList<>();
            for (int i = 0; i < trials; i++) {
                String id = nct(i);
                members.add(id);
                sequence.put(id, 1);
                status.put(id, "RECRUITING");
            }
            System.out.printf("set-up: %d trials in groups %s; registering the last one (full recompute) took %d ms%n",
                    trials, groupsOf(db), fullMs);

            Thread reader = new Thread(this::readSummaryUpdated, "bench-reader");
            reader.setDaemon(true);
            reader.start();
            Thread.sleep(3000); // the reader is assigned and at the end of evidence-events

            // 2. burst
            Random random = new Random(42);
            List<String> order = new ArrayList<>(members);
            Collections.shuffle(order, random);
            List<String> burstIds = new ArrayList<>();
            long burstStart = System.nanoTime();
            for (int i = 0; i < burst; i++) {
                String nct = order.get(i % order.size());
                String ce = "bench-" + run + "-b" + i;
                burstIds.add(ce);
                send(producer, ce, EventTypes.TRIAL_STATUS_CHANGED, statusChanged(ce, nct, i));
            }
            producer.flush();
            long producedMs = (System.nanoTime() - burstStart) / 1_000_000;
            awaitProcessed(db, burstIds, Duration.ofMinutes(10));
            double seconds = (System.nanoTime() - burstStart) / 1e9;
            awaitUpdates(burstIds, Duration.ofSeconds(30));
            System.out.printf("burst: %d status changes produced in %d ms, all processed after %.2f s: %.1f events/s; "
                            + "send→summary-updated %s%n", burst, producedMs, seconds, burst / seconds, stats(burstIds));

            // 3. paced
            List<String> pacedIds = new ArrayList<>();
            List<Long> toCommitted = new ArrayList<>();
            for (int i = 0; i < paced; i++) {
                String nct = order.get((burst + i) % order.size());
                String ce = "bench-" + run + "-p" + i;
                pacedIds.add(ce);
                long sent = System.nanoTime();
                send(producer, ce, EventTypes.TRIAL_STATUS_CHANGED, statusChanged(ce, nct, burst + i)).get();
                awaitProcessed(db, List.of(ce), Duration.ofMinutes(1), 2);
                toCommitted.add((System.nanoTime() - sent) / 1_000_000);
                Thread.sleep(pacedMillis);
            }
            awaitUpdates(pacedIds, Duration.ofSeconds(30));
            System.out.printf("paced: %d status changes, one per %d ms + processing: send→applied (committed) %s; "
                    + "send→summary-updated received %s%n", paced, pacedMillis, percentiles(toCommitted), stats(pacedIds));
        } finally {
            reading.set(false);
        }
    }

    private String stats(List<String> ids) {
        List<Long> ms = new ArrayList<>();
        int missing = 0;
        for (String id : ids) {
            Long u = updatedAt.get(id);
            if (u == null) {
                missing++;
            } else {
                ms.add((u - sentAt.get(id)) / 1_000_000);
            }
        }
        return percentiles(ms) + (missing == 0 ? "" : " (" + missing + " without summary-updated)");
    }

    private static String percentiles(List<Long> values) {
        if (values.isEmpty()) {
            return "n/a";
        }
        List<Long> v = new ArrayList<>(values);
        Collections.sort(v);
        return String.format("p50 %d ms, p99 %d ms, max %d ms", v.get((int) (v.size() * 0.50)),
                v.get(Math.min(v.size() - 1, (int) (v.size() * 0.99))), v.get(v.size() - 1));
    }

    private void readSummaryUpdated() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "bench-" + run);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(Topics.EVIDENCE_EVENTS).stream()
                    .map(i -> new TopicPartition(i.topic(), i.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            while (reading.get()) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    long now = System.nanoTime();
                    JsonNode payload = EventJson.mapper().readTree(new String(r.value(), StandardCharsets.UTF_8));
                    String cause = payload.path("causeEventId").asText(null);
                    if (cause != null) {
                        updatedAt.putIfAbsent(cause, now);
                    }
                }
            }
        } catch (Exception e) {
            e.printStackTrace();
        }
    }

    private void awaitUpdates(List<String> ids, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline && !ids.stream().allMatch(updatedAt::containsKey)) {
            Thread.sleep(50);
        }
    }

    /** Waits until every event has its processed_event row; returns the last processed_at. */
    private static Instant awaitProcessed(Connection db, List<String> ids, Duration within) throws Exception {
        return awaitProcessed(db, ids, within, 20);
    }

    private static Instant awaitProcessed(Connection db, List<String> ids, Duration within, long pollMillis) throws Exception {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            try (PreparedStatement ps = db.prepareStatement(
                    "SELECT count(*), max(processed_at) FROM processed_event WHERE event_id = ANY (?)")) {
                ps.setArray(1, db.createArrayOf("text", ids.toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getInt(1) == ids.size()) {
                        return rs.getTimestamp(2).toInstant();
                    }
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("only " + rs.getInt(1) + " of " + ids.size() + " processed");
                    }
                }
            }
            Thread.sleep(pollMillis);
        }
    }

    private static void clone(Connection db, int count) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement("""
                INSERT INTO tracked_trial (nct_id, tumour_types, setting, regimen, mechanism, therapy_class, overall_status,
                                           why_stopped, snapshot, last_sequence, updated_at)
                SELECT 'NCT9' || lpad(i::text, 7, '0'), tumour_types, setting, regimen, mechanism, therapy_class,
                       overall_status, why_stopped, jsonb_set(snapshot, '{nctId}', to_jsonb('NCT9' || lpad(i::text, 7, '0'))),
                       last_sequence, updated_at
                FROM tracked_trial, generate_series(1, ?) i WHERE nct_id = ?""")) {
            ps.setInt(1, count);
            ps.setString(2, TEMPLATE);
            ps.executeUpdate();
        }
        try (PreparedStatement ps = db.prepareStatement("""
                INSERT INTO group_member (group_key, member_kind, member_id, why)
                SELECT group_key, 'TRIAL', 'NCT9' || lpad(i::text, 7, '0'), why
                FROM group_member, generate_series(1, ?) i WHERE member_kind = 'TRIAL' AND member_id = ?""")) {
            ps.setInt(1, count);
            ps.setString(2, TEMPLATE);
            ps.executeUpdate();
        }
    }

    private static List<String> groupsOf(Connection db) throws SQLException {
        List<String> out = new ArrayList<>();
        try (PreparedStatement ps = db.prepareStatement("SELECT group_key FROM group_member WHERE member_kind = 'TRIAL' AND member_id = ?")) {
            ps.setString(1, TEMPLATE);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(rs.getString(1));
                }
            }
        }
        return out;
    }

    private static String nct(int i) {
        return "NCT9" + String.format("%07d", i);
    }

    private static ObjectNode registered(String nctId) {
        ObjectNode e = EventSchemas.goldenExample(EventTypes.TRIAL_REGISTERED).deepCopy();
        e.put("eventId", "bench-reg-" + nctId).put("nctId", nctId).put("sequence", 1);
        ObjectNode trial = (ObjectNode) e.get("trial");
        trial.put("nctId", nctId).put("overallStatus", "RECRUITING").putNull("whyStopped");
        return e;
    }

    /** RECRUITING ⇄ ACTIVE_NOT_RECRUITING; every tenth event suspends a trial instead (terminated-early flag moves). */
    private ObjectNode statusChanged(String ce, String nctId, int i) {
        String from = status.get(nctId);
        String to = !"RECRUITING".equals(from) ? "RECRUITING" : i % 10 == 0 ? "SUSPENDED" : "ACTIVE_NOT_RECRUITING";
        int seq = sequence.merge(nctId, 1, Integer::sum);
        status.put(nctId, to);
        ObjectNode e = EventSchemas.goldenExample(EventTypes.TRIAL_STATUS_CHANGED).deepCopy();
        e.put("eventId", ce).put("nctId", nctId).put("sequence", seq).put("previousStatus", from).put("newStatus", to)
                .put("reason", "benchmark");
        return e;
    }

    private KafkaProducer<String, byte[]> producer() {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        return new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    }

    private java.util.concurrent.Future<?> send(KafkaProducer<String, byte[]> producer, String ce, String type, ObjectNode payload) {
        String key = payload.get("nctId").asText();
        ProducerRecord<String, byte[]> record = org.trialwatch.evidence.messaging.KafkaClients.trialEventRecord(ce, type, key,
                payload.toString().getBytes(StandardCharsets.UTF_8));
        sentAt.put(ce, System.nanoTime());
        return producer.send(record);
    }
}
