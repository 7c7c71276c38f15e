package org.trialwatch.notification.application;

import org.trialwatch.notification.testing.Api;
import org.trialwatch.notification.testing.ContractEvents;
import org.trialwatch.notification.testing.GreenMailResource;
import org.trialwatch.notification.testing.StallingEndpoint;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

import org.trialwatch.events.TrialStatus;
import org.trialwatch.events.TrialStatusChanged;
import org.trialwatch.testbed.KafkaBrokerResource;
import org.trialwatch.testbed.PostgresResource;
import org.trialwatch.testbed.TestTokens;
import org.trialwatch.testbed.WebhookReceiver;

/**
 * One endpoint that answers its headers and then stalls must not stop deliveries to anyone else: more events than the
 * replica has senders go to a stalling endpoint and a healthy one, and the healthy one gets every one of them. The
 * stalled endpoint holds exactly its subscription's cap of attempts at once (the configured 64), more than the
 * replica's sender threads (4 in the test profile): an attempt in flight holds no thread.
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(GreenMailResource.class)
class StalledEndpointIT {

    private static final String TEAM = "team-stall";
    private static final int EVENTS = 100; // well over the senders (4 here) and a subscription's cap (64)
    /** The cap as configured (the production value: the test profile does not change it), read as the service does. */
    private static final int CAP_PER_SUBSCRIPTION = org.eclipse.microprofile.config.ConfigProvider.getConfig()
            .getValue("trialwatch.delivery.max-in-flight-per-subscription", Integer.class);

    @Test
    void aStallingEndpointDoesNotHoldBackAHealthyOne() throws Exception {
        assertThat(CAP_PER_SUBSCRIPTION).as("the cap must be under the events sent, or no cap would show").isLessThan(EVENTS);
        String nct = "NCT90000050";
        Map<String, Object> filter = Map.of("nctIds", List.of(nct));
        try (StallingEndpoint staller = StallingEndpoint.start(); WebhookReceiver healthy = WebhookReceiver.start()) {
            Api.Created stalled = Api.webhook(TEAM, staller.url("/stall"), filter);
            Api.webhook(TEAM, healthy.url("/healthy"), filter);
            try {
                Map<String, Instant> publishedAt = new HashMap<>();
                for (int sequence = 2; sequence < 2 + EVENTS; sequence++) {
                    TrialStatusChanged change = ContractEvents.statusChange(nct, sequence,
                            sequence % 2 == 0 ? TrialStatus.RECRUITING : TrialStatus.SUSPENDED,
                            sequence % 2 == 0 ? TrialStatus.SUSPENDED : TrialStatus.RECRUITING);
                    ContractEvents.publish(change);
                    publishedAt.put(change.eventId(), Instant.now());
                }

                await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                        assertThat(healthy.at("/healthy").size()).as("deliveries to the healthy receiver")
                                .isGreaterThanOrEqualTo(EVENTS));
                List<WebhookReceiver.Received> got = healthy.at("/healthy");
                Set<String> ids = new HashSet<>();
                got.forEach(r -> ids.add(r.header("webhook-id")));
                assertThat(ids).hasSize(EVENTS);
                List<Long> latencies = new ArrayList<>();
                for (WebhookReceiver.Received r : got) {
                    publishedAt.entrySet().stream().filter(e -> r.body().contains(e.getKey())).findFirst()
                            .ifPresent(e -> latencies.add(Duration.between(e.getValue(), r.at()).toMillis()));
                }
                latencies.sort(null);
                System.out.printf("healthy receiver beside a stalling one: %d deliveries, p50 %d ms, max %d ms; "
                                + "the stalling endpoint got %d requests%n", latencies.size(),
                        latencies.get(latencies.size() / 2), latencies.get(latencies.size() - 1),
                        staller.webhookIds().size());

                // its subscription's cap of attempts was in flight at once: more than the replica's sender threads
                await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                        assertThat(staller.mostHeldAtOnce()).as("attempts held at once by the stalled endpoint")
                                .isGreaterThanOrEqualTo(CAP_PER_SUBSCRIPTION));

                // the stalled endpoint's attempts end at the deadline as failures, to be retried on the schedule
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    JsonPath log = given().auth().oauth2(TestTokens.subscriber(TEAM)).queryParam("limit", 2 * EVENTS)
                            .when().get("/api/subscriptions/" + stalled.id() + "/deliveries")
                            .then().statusCode(200).extract().jsonPath();
                    List<Map<String, Object>> deliveries = log.getList("deliveries");
                    assertThat(deliveries).anySatisfy(d -> {
                        assertThat(d.get("status")).isEqualTo("PENDING");
                        assertThat((Integer) d.get("attempts")).isPositive();
                        assertThat((String) d.get("lastError")).contains("deadline");
                        assertThat(d.get("nextAttemptAt")).isNotNull();
                    });
                });
                assertThat(staller.mostHeldAtOnce()).as("never more than the cap at once").isEqualTo(CAP_PER_SUBSCRIPTION);
            } finally {
                given().auth().oauth2(TestTokens.subscriber(TEAM)).contentType(ContentType.JSON)
                        .body(Map.of("enabled", false)).when().patch("/api/subscriptions/" + stalled.id())
                        .then().statusCode(200);
            }
        }
    }
}
