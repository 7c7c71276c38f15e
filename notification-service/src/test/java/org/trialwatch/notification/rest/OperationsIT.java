package org.trialwatch.notification.rest;

import org.trialwatch.notification.testing.Api;
import org.trialwatch.notification.testing.ContractEvents;
import org.trialwatch.notification.testing.GreenMailResource;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
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
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

import org.trialwatch.events.CloudEventHeaders;
import org.trialwatch.events.EventJson;
import org.trialwatch.events.EventTypes;
import org.trialwatch.events.Topics;
import org.trialwatch.events.TrialStatus;
import org.trialwatch.events.TrialStatusChanged;
import org.trialwatch.testbed.KafkaBrokerResource;
import org.trialwatch.testbed.PostgresResource;
import org.trialwatch.testbed.TestTokens;
import org.trialwatch.testbed.WebhookReceiver;

@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(GreenMailResource.class)
class OperationsIT {

    private static WebhookReceiver receiver;

    @BeforeAll
    static void startReceiver() throws Exception {
        receiver = WebhookReceiver.start();
    }

    @AfterAll
    static void stopReceiver() {
        receiver.close();
    }

    @Test
    void operatorsReplayDeadLettersByTimeRange() {
        Instant from = Instant.now();
        String nct = "NCT90000030";
        Api.Created sub = Api.webhook("team-ops", receiver.url("/outage"), Map.of("nctIds", List.of(nct)));
        receiver.answerAlways("/outage", 502);
        ContractEvents.publish(ContractEvents.statusChange(nct, 2, TrialStatus.RECRUITING, TrialStatus.SUSPENDED));
        ContractEvents.publish(ContractEvents.statusChange(nct, 3, TrialStatus.SUSPENDED, TrialStatus.RECRUITING));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                Api.deliveries("team-ops", sub.id()).getList("deliveries.status")).containsExactly("DEAD", "DEAD"));

        given().auth().oauth2(TestTokens.operator()).queryParam("from", from.toString())
                .when().get("/api/dead-letters")
                .then().statusCode(200).body("items.subscriptionId", hasItem(sub.id()));
        // a page at a time, newest first, each dead letter once
        io.restassured.path.json.JsonPath first = given().auth().oauth2(TestTokens.operator())
                .queryParam("from", from.toString()).queryParam("limit", 1).when().get("/api/dead-letters")
                .then().statusCode(200).extract().jsonPath();
        assertThat(first.getList("items")).hasSize(1);
        assertThat(first.getInt("limit")).isEqualTo(1);
        assertThat(first.getString("next")).isNotNull();
        io.restassured.path.json.JsonPath second = given().auth().oauth2(TestTokens.operator())
                .queryParam("from", from.toString()).queryParam("limit", 1).queryParam("cursor", first.getString("next"))
                .when().get("/api/dead-letters").then().statusCode(200).extract().jsonPath();
        assertThat(second.getList("items.notificationId")).hasSize(1)
                .doesNotContain(first.getString("items[0].notificationId"));
        assertThat(Instant.parse(second.getString("items[0].createdAt")))
                .isBeforeOrEqualTo(Instant.parse(first.getString("items[0].createdAt")));

        receiver.answerAlways("/outage", 204);
        given().auth().oauth2(TestTokens.operator()).contentType(ContentType.JSON)
                .body(Map.of("from", from.toString(), "to", Instant.now().plusSeconds(1).toString()))
                .when().post("/api/dead-letters/replay")
                .then().statusCode(200).body("replayed", greaterThanOrEqualTo(2));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(
                Api.deliveries("team-ops", sub.id()).getList("deliveries.status")).containsExactly("DELIVERED", "DELIVERED"));

        given().auth().oauth2(TestTokens.operator()).contentType(ContentType.JSON)
                .body(Map.of("from", "yesterday"))
                .when().post("/api/dead-letters/replay")
                .then().statusCode(400).contentType("application/problem+json").body("errors[0].field", equalTo("from"));
    }

    @Test
    void recordsBreakingTheContractGoToTheDeadLetterTopicWithTheReason() throws Exception {
        String marker = UUID.randomUUID().toString();
        ContractEvents.publish(Topics.TRIAL_EVENTS, null, EventTypes.TRIAL_STATUS_CHANGED, "NCT90000031",
                ("{\"marker\":\"" + marker + "\"}").getBytes(StandardCharsets.UTF_8));
        TrialStatusChanged invalid = ContractEvents.statusChange("NCT90000031", 2, TrialStatus.RECRUITING,
                TrialStatus.TERMINATED);
        String badJson = new String(EventJson.toBytes(invalid), StandardCharsets.UTF_8)
                .replace("\"TERMINATED\"", "\"FINISHED\"");
        ContractEvents.publish(Topics.TRIAL_EVENTS, invalid.eventId(), EventTypes.TRIAL_STATUS_CHANGED, "NCT90000031",
                badJson.getBytes(StandardCharsets.UTF_8));

        List<ConsumerRecord<String, byte[]>> seen = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = deadLetterReader(Topics.TRIAL_EVENTS_NOTIFICATION_DLQ)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(500)).forEach(seen::add);
                return seen.stream().anyMatch(r -> new String(r.value(), StandardCharsets.UTF_8).contains(marker))
                        && seen.stream().anyMatch(r -> reason(r).contains("schema"));
            });
        }
        ConsumerRecord<String, byte[]> noId = seen.stream()
                .filter(r -> new String(r.value(), StandardCharsets.UTF_8).contains(marker)).findFirst().orElseThrow();
        assertThat(reason(noId)).isEqualTo("missing header ce_id");
        assertThat(noId.key()).isEqualTo("NCT90000031");
        ConsumerRecord<String, byte[]> badSchema = seen.stream().filter(r -> reason(r).contains("schema")).findFirst()
                .orElseThrow();
        assertThat(new String(badSchema.headers().lastHeader(CloudEventHeaders.ID).value(), StandardCharsets.UTF_8))
                .isEqualTo(invalid.eventId());
    }

    @Test
    void poisonFromEvidenceEventsGoesToItsOwnDeadLetterTopic() {
        String marker = UUID.randomUUID().toString();
        ContractEvents.publish(Topics.EVIDENCE_EVENTS, null, EventTypes.EVIDENCE_SUMMARY_UPDATED, "BTC|KRAS",
                ("{\"marker\":\"" + marker + "\"}").getBytes(StandardCharsets.UTF_8));

        List<ConsumerRecord<String, byte[]>> seen = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = deadLetterReader(Topics.EVIDENCE_EVENTS_NOTIFICATION_DLQ)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(500)).forEach(seen::add);
                return seen.stream().anyMatch(r -> new String(r.value(), StandardCharsets.UTF_8).contains(marker));
            });
        }
        ConsumerRecord<String, byte[]> noId = seen.stream()
                .filter(r -> new String(r.value(), StandardCharsets.UTF_8).contains(marker)).findFirst().orElseThrow();
        assertThat(reason(noId)).isEqualTo("missing header ce_id");
        assertThat(noId.key()).isEqualTo("BTC|KRAS");
        assertThat(Topics.EVIDENCE_EVENTS_NOTIFICATION_DLQ)
                .isEqualTo(Topics.deadLetters(Topics.EVIDENCE_EVENTS, "notification"));
        assertThat(Topics.TRIAL_EVENTS_NOTIFICATION_DLQ)
                .isEqualTo(Topics.deadLetters(Topics.TRIAL_EVENTS, "notification"));
    }

    /** A consumer of {@code topic} from its beginning, in a group of its own. */
    private static KafkaConsumer<String, byte[]> deadLetterReader(String topic) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class));
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "dlq-observer-" + UUID.randomUUID());
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(),
                new ByteArrayDeserializer());
        consumer.subscribe(List.of(topic));
        return consumer;
    }

    private static String reason(ConsumerRecord<String, byte[]> record) {
        Header h = record.headers().lastHeader(CloudEventHeaders.DLQ_REASON);
        return h == null ? "" : new String(h.value(), StandardCharsets.UTF_8);
    }

    @Test
    void healthMetricsAndOpenApiAreServed() {
        given().when().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItem(containsString("Database")))
                // REST traffic does not need the broker: readiness says how the consumers fare, not whether it is up
                .body("checks.name", hasItem("kafka-consumers"))
                .body("checks.find { it.name == 'kafka-consumers' }.data.'trial-events'", equalTo("flowing"))
                .body("checks.name", not(hasItem(containsString("Kafka connection"))));
        given().when().get("/q/health/live").then().statusCode(200);
        given().when().get("/q/metrics").then().statusCode(200)
                .body(containsString("trialwatch_notifications_created_total"))
                .body(containsString("trialwatch_deliveries_due_backlog"))
                .body(containsString("trialwatch_notifications_dead_lettered_total"));
        given().when().get("/q/openapi").then().statusCode(200).body(containsString("/api/subscriptions/{id}/rotate-secret"));
    }
}
