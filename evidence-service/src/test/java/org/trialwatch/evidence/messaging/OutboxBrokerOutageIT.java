package org.trialwatch.evidence.messaging;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.trialwatch.events.CloudEventHeaders;
import org.trialwatch.events.EventTypes;
import org.trialwatch.events.Topics;
import org.trialwatch.evidence.persistence.OutboxStore;
import org.trialwatch.testbed.KafkaBroker;
import org.trialwatch.testbed.KafkaBrokerResource;
import org.trialwatch.testbed.KafkaTopicReader.Received;
import org.trialwatch.testbed.KafkaTopicReader;
import org.trialwatch.testbed.PostgresResource;
import org.trialwatch.testbed.PrometheusText;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The broker goes away while summary-updated events wait in the outbox, for several relay rounds; when it returns each
 * event is published once: the relay waits for its in-flight sends instead of sending the batch again every round
 * (which used to arrive as a burst of duplicates after an outage). The outbox is not part of readiness meanwhile.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@QuarkusTestResource(PostgresResource.class)
class OutboxBrokerOutageIT {

    @Inject
    OutboxStore outbox;

    @Test
    void eventsWrittenWhileTheBrokerIsAwayArePublishedOnceEachWhenItReturns() {
        Assumptions.assumeTrue(KafkaBroker.externalBootstrapServers() == null, "needs the test's own broker to stop it");
        try (KafkaTopicReader reader = new KafkaTopicReader(KafkaTopicReader.testBootstrapServers(), Topics.EVIDENCE_EVENTS)) {
            // one event while the broker is there, so the producer knows the topic before it goes
            UUID warmUp = add("TEST.outage.warm-up", 0);
            reader.readUntil(all -> all.stream().anyMatch(r -> warmUp.toString().equals(r.header(CloudEventHeaders.ID))),
                    Duration.ofSeconds(60));

            KafkaBroker broker = KafkaBroker.shared();
            List<UUID> written = new ArrayList<>();
            broker.stop();
            try {
                for (int i = 1; i <= 6; i++) {
                    written.add(add("TEST.outage.group-" + (i % 3), i));
                }
                // several rounds give up waiting for the acknowledgements meanwhile
                double before = metric("trialwatch_outbox_publish_failures_total");
                await().atMost(Duration.ofSeconds(90)).until(() -> metric("trialwatch_outbox_publish_failures_total") >= before + 3);
                // the outbox holds them, and the service stays ready for REST traffic: neither the outbox, a broker
                // check nor the channels are in readiness
                given().get("/q/health/ready").then().statusCode(200)
                        .body("checks.name", not(hasItem("Kafka connection health check")))
                        .body("checks.name", not(hasItem("outbox")));
                given().get("/q/health/well").then()
                        .body("checks.find { it.name == 'outbox' }.data.unsent", greaterThanOrEqualTo(6));
            } finally {
                broker.start();
            }

            Set<String> ids = written.stream().map(UUID::toString).collect(Collectors.toSet());
            reader.readUntil(all -> all.stream().map(r -> r.header(CloudEventHeaders.ID)).collect(Collectors.toSet())
                    .containsAll(ids), Duration.ofSeconds(90));
            List<Received> all = reader.readFor(Duration.ofSeconds(5)); // duplicates, if any, arrive meanwhile
            Map<String, Long> copies = all.stream().map(r -> r.header(CloudEventHeaders.ID)).filter(ids::contains)
                    .collect(Collectors.groupingBy(id -> id, Collectors.counting()));
            assertThat(copies.keySet()).containsExactlyInAnyOrderElementsOf(ids);
            assertThat(copies.values()).as("copies of each event on evidence-events").containsOnly(1L);
            // and per group key, in the order written
            for (int g = 0; g < 3; g++) {
                String key = "TEST.outage.group-" + g;
                List<String> expected = new ArrayList<>();
                for (int i = 1; i <= 6; i++) {
                    if (i % 3 == g) {
                        expected.add(written.get(i - 1).toString());
                    }
                }
                assertThat(all.stream().filter(r -> key.equals(r.key())).map(r -> r.header(CloudEventHeaders.ID)).toList())
                        .containsExactlyElementsOf(expected);
            }
        }
    }

    private UUID add(String groupKey, int n) {
        UUID id = UUID.randomUUID();
        QuarkusTransaction.requiringNew().run(() -> outbox.add(id, groupKey, EventTypes.EVIDENCE_SUMMARY_UPDATED,
                Instant.now(), "{\"test\":" + n + "}"));
        return id;
    }

    private static double metric(String name) {
        String body = given().get("/q/metrics").then().statusCode(200).extract().asString();
        return PrometheusText.sum(body, name);
    }
}
