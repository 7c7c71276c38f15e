package org.trialwatch.evidence.messaging;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.trialwatch.events.CloudEventHeaders;
import org.trialwatch.events.EventTypes;
import org.trialwatch.events.Topics;
import org.trialwatch.testbed.KafkaBrokerResource;
import org.trialwatch.testbed.PrometheusText;
import org.trialwatch.testbed.ProxiedPostgresResource;

import com.fasterxml.jackson.databind.node.ObjectNode;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * The evidence service's database is cut off (a TCP proxy between them drops every connection and refuses new ones)
 * for longer than any fixed retry budget, while a valid status change arrives. Nothing may be lost: the consumer holds
 * the record, says so in its metrics, and applies it once the database is back; the trial's sequence is right and the
 * next change applies without a gap; nothing valid goes to the dead-letter topic.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@QuarkusTestResource(value = ProxiedPostgresResource.class, restrictToAnnotatedClass = true)
class DatabaseOutageIT {

    static final String NCT = "NCT05999001";
    /** A group of its own (no lexicon target word), so that the other tests' groups on the shared broker are not moved. */
    static final String MECHANISM = "outage probe";
    static final Duration WITHIN = Duration.ofSeconds(60);
    /** Longer than the old @Retry budget (5 retries of 0.5 s) with its connection attempts, many times over. */
    static final double HELD_AT_LEAST_SECONDS = 15;

    @Inject
    MeterRegistry meters;

    @Test
    void aStatusChangeThatArrivesWhileTheDatabaseIsAwayIsAppliedWhenItIsBackAndNeverDeadLettered() {
        send("outage-reg-1", EventTypes.TRIAL_REGISTERED, TrialEventsFixtures.registered("outage-reg-1", NCT, 1,
                "RECRUITING", MECHANISM, "outage-probe-101"));
        await().atMost(WITHIN).untilAsserted(() -> assertThat(trial().getLong("lastSequence")).isEqualTo(1));
        double gaps = metric("evidence_events_gaps_total");

        String ceId = "outage-sc-2";
        ProxiedPostgresResource.proxy().cut();
        try {
            send(ceId, EventTypes.TRIAL_STATUS_CHANGED,
                    TrialEventsFixtures.statusChanged(ceId, NCT, 2, "RECRUITING", "TERMINATED"));
            // Either the old behaviour shows (the record is dead-lettered) or the consumer has held it long enough.
            // (gauges read from the meter registry: a scrape of /q/metrics may wait on database-backed gauges)
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() ->
                    deadLettered(ceId) || gauge("trialwatch.consumer.held.seconds") >= HELD_AT_LEAST_SECONDS);
            assertThat(deadLettered(ceId)).as("a valid event was dead-lettered during the outage").isFalse();
            assertThat(gauge("trialwatch.consumer.retrying")).isEqualTo(1);
            assertThat(given().get("/q/health/ready").then().extract().asString())
                    .contains("kafka-consumers").contains("held by a transient failure");
        } finally {
            ProxiedPostgresResource.proxy().restore();
        }
        long restored = System.nanoTime();

        await().atMost(WITHIN).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            JsonPath t = trial();
            assertThat(t.getString("status")).isEqualTo("TERMINATED");
            assertThat(t.getLong("lastSequence")).isEqualTo(2);
        });
        System.out.printf("held status change applied %d ms after the database came back%n",
                (System.nanoTime() - restored) / 1_000_000);
        await().atMost(WITHIN).untilAsserted(() -> assertThat(metric("trialwatch_consumer_retrying")).isZero());
        assertThat(metric("trialwatch_consumer_retries_total")).isGreaterThan(3);

        send("outage-sc-3", EventTypes.TRIAL_STATUS_CHANGED,
                TrialEventsFixtures.statusChanged("outage-sc-3", NCT, 3, "TERMINATED", "RECRUITING"));
        await().atMost(WITHIN).untilAsserted(() -> {
            JsonPath t = trial();
            assertThat(t.getString("status")).isEqualTo("RECRUITING");
            assertThat(t.getLong("lastSequence")).isEqualTo(3);
        });
        assertThat(metric("evidence_events_gaps_total")).isEqualTo(gaps);
        assertThat(deadLettered(ceId)).isFalse();
    }

    private static JsonPath trial() {
        return given().get("/api/trials/" + NCT + "/evidence").then().statusCode(200).extract().jsonPath();
    }

    private static void send(String ceId, String type, ObjectNode payload) {
        KafkaClients.sendTrialEvent(ceId, type, payload.get("nctId").asText(), payload.toString());
    }

    private static boolean deadLettered(String ceId) {
        List<ConsumerRecord<String, byte[]>> all = KafkaClients.allRecords(Topics.TRIAL_EVENTS_DLQ);
        return all.stream().anyMatch(r -> ceId.equals(KafkaClients.header(r, CloudEventHeaders.ID)));
    }

    /** A gauge's current value for the trial-events channel, 0 when it is not registered. */
    private double gauge(String name) {
        Gauge gauge = meters.find(name).tag("channel", Topics.TRIAL_EVENTS).gauge();
        return gauge == null ? 0 : gauge.value();
    }

    private static double metric(String name) {
        String body = given().get("/q/metrics").then().statusCode(200).extract().asString();
        return PrometheusText.sum(body, name);
    }
}
