package org.trialwatch.system;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.standardwebhooks.Webhook;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.trialwatch.events.EventJson;
import org.trialwatch.system.RunningSystem.Service;
import org.trialwatch.testbed.TestTokens;

/**
 * Follows one status change through the whole system, black-box: a curator's REST call to the registry reaches a
 * team's webhook, signed so that the reference Standard Webhooks library accepts it, and moves the evidence summary
 * of the trial's group.
 */
class StatusChangeEndToEndTest {

    private static final String NCT_ID = "NCT05379985"; // RECRUITING in the seed; PC, KRAS (RMC-6236)
    private static RunningSystem system;
    private static WebhookReceiver receiver;

    @BeforeAll
    static void startSystem() throws Exception {
        receiver = new WebhookReceiver();
        system = RunningSystem.start(Map.of(Service.NOTIFICATION, Map.of(
                // an operator allow-lists the local receiver; by default loopback and plain http are refused
                "TRIALWATCH_WEBHOOKS_ALLOWED_HOSTS", "127.0.0.1")));
    }

    @AfterAll
    static void stopSystem() {
        if (system != null) {
            system.close();
        }
        if (receiver != null) {
            receiver.close();
        }
    }

    @Test
    void curatorsStatusChangeReachesTheTeamsWebhookSignedAndMovesTheEvidenceSummary() throws Exception {
        String subscriber = TestTokens.subscriber("team-system");
        String secret = given().auth().oauth2(subscriber).contentType(ContentType.JSON)
                .body("{\"name\":\"terminations\",\"channel\":\"webhook\",\"url\":\"" + receiver.url() + "\","
                        + "\"filter\":{\"nctIds\":[\"" + NCT_ID + "\"],\"eventTypes\":[\"trial.status-changed\"]}}")
                .post(system.url(Service.NOTIFICATION) + "/api/subscriptions")
                .then().statusCode(201).extract().path("secret");
        String otherTeamsSecret = given().auth().oauth2(TestTokens.subscriber("team-other")).contentType(ContentType.JSON)
                .body("{\"name\":\"other trial\",\"channel\":\"webhook\",\"url\":\"" + receiver.url() + "\","
                        + "\"filter\":{\"nctIds\":[\"NCT04333927\"]}}")
                .post(system.url(Service.NOTIFICATION) + "/api/subscriptions")
                .then().statusCode(201).extract().path("secret");
        assertThat(secret).startsWith("whsec_").isNotEqualTo(otherTeamsSecret);

        // the evidence service has taken in the seeded trial and knows its groups
        String evidence = system.url(Service.EVIDENCE);
        await().atMost(Duration.ofSeconds(30)).until(() -> given().get(evidence + "/api/trials/{id}/evidence", NCT_ID)
                .then().extract().statusCode() == 200 && given().get(evidence + "/api/trials/{id}/evidence", NCT_ID)
                .then().extract().jsonPath().getBoolean("tracked"));
        List<String> groups = given().get(evidence + "/api/trials/{id}/evidence", NCT_ID).then().statusCode(200)
                .extract().jsonPath().getList("groups.groupKey");
        assertThat(groups).isNotEmpty();
        String groupKey = groups.get(0);
        String summaryTagBefore = given().get(evidence + "/api/summaries/{key}", groupKey).then().statusCode(200)
                .extract().header("ETag");

        String registry = system.url(Service.REGISTRY);
        String etag = given().get(registry + "/api/trials/" + NCT_ID).then().statusCode(200).extract().header("ETag");
        given().auth().oauth2(TestTokens.curator()).header("If-Match", etag).contentType(ContentType.JSON)
                .body("{\"newStatus\":\"TERMINATED\",\"effectiveDate\":\"2026-11-20\",\"reason\":\"sponsor decision\"}")
                .post(registry + "/api/trials/" + NCT_ID + "/status-changes").then().statusCode(201);

        await().atMost(Duration.ofSeconds(30)).until(() -> !receiver.deliveries().isEmpty());
        WebhookReceiver.Delivery delivery = receiver.deliveries().get(0);
        new Webhook(secret).verify(delivery.body(), Map.of(
                "webhook-id", List.of(delivery.header("webhook-id")),
                "webhook-timestamp", List.of(delivery.header("webhook-timestamp")),
                "webhook-signature", List.of(delivery.header("webhook-signature"))));
        JsonNode payload = EventJson.mapper().readTree(delivery.body());
        assertThat(payload.path("type").asText()).contains("status");
        assertThat(payload.toString()).contains(NCT_ID).contains("TERMINATED");

        // the trial's evidence group moved: a new summary version counting it as TERMINATED
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            io.restassured.response.Response summary = given().get(evidence + "/api/summaries/{key}", groupKey);
            assertThat(summary.header("ETag")).isNotEqualTo(summaryTagBefore);
            assertThat(summary.jsonPath().getInt("trackedByStatus.TERMINATED")).isGreaterThanOrEqualTo(1);
        });

        // only the matching subscription was told: nothing for the other team's trial
        Thread.sleep(2_000);
        assertThat(receiver.deliveries()).hasSize(1);
    }
}
