package org.trialwatch.notification.messaging;

import org.trialwatch.notification.testing.Api;
import org.trialwatch.notification.testing.ContractEvents;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.Future;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

import org.trialwatch.events.CloudEventHeaders;
import org.trialwatch.events.EventJson;
import org.trialwatch.events.EventTypes;
import org.trialwatch.events.Topics;
import org.trialwatch.events.TrialStatus;
import org.trialwatch.events.TrialStatusChanged;
import org.trialwatch.testbed.KafkaBrokerResource;
import org.trialwatch.testbed.ProxiedPostgresResource;
import org.trialwatch.testbed.PrometheusText;
import org.trialwatch.testbed.WebhookReceiver;

/**
 * Intake under faults: a poll that holds one record the service cannot read among valid ones, and the database cut
 * off (through a TCP proxy) while events arrive. The valid events must all become notifications, the bad record must
 * be on the dead-letter topic with its reason, and the consumer must carry on: no crash loop, nothing lost.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@QuarkusTestResource(value = ProxiedPostgresResource.class, restrictToAnnotatedClass = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class IntakeFaultsIT {

    static final Duration WITHIN = Duration.ofSeconds(60);

    private static WebhookReceiver receiver;

    @Inject
    MeterRegistry meters;

    @BeforeAll
    static void startReceiver() throws Exception {
        receiver = WebhookReceiver.start();
    }

    @AfterAll
    static void stopReceiver() {
        receiver.close();
    }

    @Test
    @Order(1)
    void aRecordWithABadTimestampAmongValidOnesIsDeadLetteredAndTheValidOnesAreTaken() throws Exception {
        String nct = "NCT90000041";
        receiver.answerAlways("/bad-timestamp", 204);
        Api.Created sub = Api.webhook("team-intake", receiver.url("/bad-timestamp"), Map.of("nctIds", List.of(nct)));

        TrialStatusChanged first = ContractEvents.statusChange(nct, 2, TrialStatus.RECRUITING, TrialStatus.SUSPENDED);
        TrialStatusChanged bad = ContractEvents.statusChange(nct, 3, TrialStatus.SUSPENDED, TrialStatus.RECRUITING);
        TrialStatusChanged last = ContractEvents.statusChange(nct, 4, TrialStatus.RECRUITING, TrialStatus.COMPLETED);
        ObjectNode badPayload = (ObjectNode) EventJson.mapper().readTree(EventJson.toBytes(bad));
        badPayload.put("occurredAt", "2026-13-45T99:00:00Z");
        String badJson = badPayload.toString();
        // one producer batch on one partition (key = NCT id), so the consumer gets the three in one poll
        List<RecordMetadata> sent = publishTogether(
                record(first.eventId(), nct, EventJson.toBytes(first)),
                record(bad.eventId(), nct, badJson.getBytes(StandardCharsets.UTF_8)),
                record(last.eventId(), nct, EventJson.toBytes(last)));
        assertThat(sent).extracting(RecordMetadata::partition).containsOnly(sent.get(0).partition());

        await().atMost(WITHIN).untilAsserted(() ->
                assertThat(Api.deliveries("team-intake", sub.id()).getList("deliveries")).hasSize(2));
        ConsumerRecord<String, byte[]> deadLetter = awaitDeadLetter(bad.eventId());
        assertThat(header(deadLetter, CloudEventHeaders.DLQ_REASON)).contains("occurredAt");
        assertThat(new String(deadLetter.value(), StandardCharsets.UTF_8)).isEqualTo(badJson);

        // the consumer carries on with the next poll
        ContractEvents.publish(ContractEvents.statusChange(nct, 5, TrialStatus.COMPLETED, TrialStatus.RECRUITING));
        await().atMost(WITHIN).untilAsserted(() ->
                assertThat(Api.deliveries("team-intake", sub.id()).getList("deliveries")).hasSize(3));
    }

    @Test
    @Order(2)
    void eventsThatArriveWhileTheDatabaseIsCutOffAreAllTakenOnceItIsBack() {
        String nct = "NCT90000042";
        receiver.answerAlways("/db-cut", 204);
        Api.Created sub = Api.webhook("team-intake", receiver.url("/db-cut"), Map.of("nctIds", List.of(nct)));
        ContractEvents.publish(ContractEvents.statusChange(nct, 2, TrialStatus.RECRUITING, TrialStatus.SUSPENDED));
        await().atMost(WITHIN).untilAsserted(() ->
                assertThat(Api.deliveries("team-intake", sub.id()).getList("deliveries")).hasSize(1));

        ProxiedPostgresResource.proxy().cut();
        try {
            ContractEvents.publish(ContractEvents.statusChange(nct, 3, TrialStatus.SUSPENDED, TrialStatus.RECRUITING));
            ContractEvents.publish(ContractEvents.statusChange(nct, 4, TrialStatus.RECRUITING, TrialStatus.COMPLETED));
            // until the consumer has given up (the channel failed: the old behaviour) or has held the records a while
            // (read from the meter registry, not /q/metrics, whose database-backed gauges are slow while it is away)
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() ->
                    given().get("/q/health/live").statusCode() != 200
                            || gauge("trialwatch.consumer.held.seconds", Topics.TRIAL_EVENTS) >= 10);
            assertThat(given().get("/q/health/live").statusCode()).as("the consumer gave up").isEqualTo(200);
            assertThat(gauge("trialwatch.consumer.retrying", Topics.TRIAL_EVENTS)).isEqualTo(1);
        } finally {
            ProxiedPostgresResource.proxy().restore();
        }
        long restored = System.nanoTime();

        await().atMost(WITHIN).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                assertThat(Api.deliveries("team-intake", sub.id()).getList("deliveries")).hasSize(3));
        System.out.printf("held events taken %d ms after the database came back%n",
                (System.nanoTime() - restored) / 1_000_000);
        await().atMost(WITHIN).untilAsserted(() ->
                assertThat(metric("trialwatch_consumer_retrying", Topics.TRIAL_EVENTS)).isZero());
        assertThat(deadLetters().stream().map(r -> header(r, CloudEventHeaders.SUBJECT))).doesNotContain(nct);
    }

    private static String bootstrap() {
        return ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
    }

    private static ProducerRecord<String, byte[]> record(String ceId, String nct, byte[] value) {
        ProducerRecord<String, byte[]> r = new ProducerRecord<>(Topics.TRIAL_EVENTS, nct, value);
        r.headers().add(CloudEventHeaders.SPEC_VERSION, bytes(CloudEventHeaders.SPEC_VERSION_VALUE));
        r.headers().add(CloudEventHeaders.ID, bytes(ceId));
        r.headers().add(CloudEventHeaders.SOURCE, bytes("/trial-registry-service"));
        r.headers().add(CloudEventHeaders.TYPE, bytes(EventTypes.TRIAL_STATUS_CHANGED));
        r.headers().add(CloudEventHeaders.SUBJECT, bytes(nct));
        r.headers().add(CloudEventHeaders.CONTENT_TYPE, bytes(CloudEventHeaders.JSON));
        return r;
    }

    @SafeVarargs
    private static List<RecordMetadata> publishTogether(ProducerRecord<String, byte[]>... records) throws Exception {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "500");
        List<RecordMetadata> out = new ArrayList<>();
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer())) {
            List<Future<RecordMetadata>> futures = new ArrayList<>();
            for (ProducerRecord<String, byte[]> r : records) {
                futures.add(producer.send(r));
            }
            producer.flush();
            for (Future<RecordMetadata> f : futures) {
                out.add(f.get());
            }
        }
        return out;
    }

    private static ConsumerRecord<String, byte[]> awaitDeadLetter(String ceId) {
        List<ConsumerRecord<String, byte[]>> found = new ArrayList<>();
        await().atMost(WITHIN).pollInterval(Duration.ofSeconds(1)).until(() -> {
            deadLetters().stream().filter(r -> ceId.equals(header(r, CloudEventHeaders.ID))).findFirst().ifPresent(found::add);
            return !found.isEmpty();
        });
        return found.get(0);
    }

    /** Every record on the notification dead-letter topic of trial-events now. */
    private static List<ConsumerRecord<String, byte[]>> deadLetters() {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "dlq-reader-" + UUID.randomUUID());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
            String topic = Topics.TRIAL_EVENTS_NOTIFICATION_DLQ;
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10))
                    .stream().map(i -> new TopicPartition(topic, i.partition())).toList();
            if (partitions.isEmpty()) {
                return out;
            }
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))
                    && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(250)).forEach(out::add);
            }
        }
        return out;
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header h = record.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }

    /** A gauge's current value, 0 when it is not registered. */
    private double gauge(String name, String channel) {
        Gauge gauge = meters.find(name).tag("channel", channel).gauge();
        return gauge == null ? 0 : gauge.value();
    }

    private static double metric(String name, String channel) {
        String body = given().get("/q/metrics").then().statusCode(200).extract().asString();
        return PrometheusText.sum(body, name, labels -> labels.contains("channel=\"" + channel + "\""));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
