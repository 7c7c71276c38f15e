package org.trialwatch.notification.application;

import org.trialwatch.notification.testing.Api;
import org.trialwatch.notification.testing.ContractEvents;
import org.trialwatch.notification.testing.GreenMailResource;
import org.trialwatch.notification.testing.StallingEndpoint;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

import org.trialwatch.events.TrialStatus;
import org.trialwatch.events.TrialStatusChanged;
import org.trialwatch.testbed.KafkaBrokerResource;
import org.trialwatch.testbed.PostgresResource;
import org.trialwatch.testbed.TestTokens;
import org.trialwatch.testbed.WebhookReceiver;

/**
 * A team deletes a subscription while one of its deliveries is being attempted. The attempt's outcome then belongs to
 * a notification that no longer exists; recording it must not fail, because the same batch records everyone else's
 * outcomes too. (It did: the attempt log's foreign key failed every dispatch round after it, for every subscriber.)
 */
@QuarkusTest
@QuarkusTestResource(KafkaBrokerResource.class)
@QuarkusTestResource(PostgresResource.class)
@QuarkusTestResource(GreenMailResource.class)
class DeletedSubscriptionIT {

    private static final String TEAM = "team-deleted";

    @Test
    void deletingASubscriptionWhileItsAttemptRunsDoesNotStopOtherDeliveries() throws Exception {
        String nct = "NCT90000060";
        Map<String, Object> filter = Map.of("nctIds", List.of(nct));
        try (StallingEndpoint staller = StallingEndpoint.start(); WebhookReceiver healthy = WebhookReceiver.start()) {
            Api.Created doomed = Api.webhook(TEAM, staller.url("/doomed"), filter);
            Api.Created kept = Api.webhook(TEAM, healthy.url("/kept"), filter);

            TrialStatusChanged first = ContractEvents.statusChange(nct, 2, TrialStatus.RECRUITING, TrialStatus.SUSPENDED);
            ContractEvents.publish(first);
            // the attempt to the stalling endpoint is under way: delete its subscription before the deadline ends it
            await().atMost(Duration.ofSeconds(30)).until(() -> !staller.webhookIds().isEmpty());
            given().auth().oauth2(TestTokens.subscriber(TEAM)).when().delete("/api/subscriptions/" + doomed.id())
                    .then().statusCode(204);
            // the stalled attempt ends at its deadline (3 s in tests) and its outcome is recorded: only then the next event
            await().pollDelay(Duration.ofSeconds(5)).atMost(Duration.ofSeconds(6)).until(() -> true);

            TrialStatusChanged second = ContractEvents.statusChange(nct, 3, TrialStatus.SUSPENDED, TrialStatus.RECRUITING);
            ContractEvents.publish(second);
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
                JsonPath log = given().auth().oauth2(TestTokens.subscriber(TEAM)).queryParam("limit", 10)
                        .when().get("/api/subscriptions/" + kept.id() + "/deliveries")
                        .then().statusCode(200).extract().jsonPath();
                List<Map<String, Object>> deliveries = log.getList("items");
                assertThat(deliveries).as("the kept subscription's deliveries, recorded")
                        .filteredOn(d -> "DELIVERED".equals(d.get("status"))).hasSize(2);
            });
            assertThat(healthy.at("/kept")).as("each event delivered once to the kept subscription")
                    .extracting(r -> r.header("webhook-id")).doesNotHaveDuplicates().hasSize(2);
        }
    }
}
