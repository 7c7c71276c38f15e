package org.trialwatch.system;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import com.standardwebhooks.Webhook;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.trialwatch.events.EventJson;
import org.trialwatch.testbed.RunningSystem;
import org.trialwatch.testbed.RunningSystem.Service;
import org.trialwatch.testbed.TestTokens;
import org.trialwatch.testbed.WebhookReceiver;

/**
 * Black-box: the three packaged services as separate processes. A trial's status change — made by a curator over
 * REST, or found by the ClinicalTrials.gov sync — reaches the subscribed team's webhook, signed so that the reference
 * Standard Webhooks library accepts it, and moves the evidence summary of the trial's group.
 */
class StatusChangeEndToEndIT {

    private static RunningSystem system;
    private static WebhookReceiver receiver;
    private static WireMockServer clinicalTrialsGov;

    @BeforeAll
    static void startSystem() throws Exception {
        receiver = WebhookReceiver.start(d -> 204);
        // Recorded ClinicalTrials.gov API v2 answers (the registry's own test fixtures): NCT05379985 is TERMINATED there.
        Path root = Path.of(System.getProperty("trialwatch.root", "..")).toAbsolutePath().normalize();
        clinicalTrialsGov = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1")
                .usingFilesUnderDirectory(root.resolve("trial-registry-service/src/test/resources/ctgov-wiremock").toString()));
        clinicalTrialsGov.start();
        system = RunningSystem.start(Map.of(
                Service.REGISTRY, Map.of(
                        "TRIALWATCH_CTGOV_BASE_URL", "http://127.0.0.1:" + clinicalTrialsGov.port(),
                        "TRIALWATCH_CTGOV_INTERVAL", "off",
                        "TRIALWATCH_CTGOV_MIN_REQUEST_SPACING", "10ms"),
                // an operator allow-lists the local receiver; by default loopback and plain http are refused
                Service.NOTIFICATION, Map.of("TRIALWATCH_WEBHOOKS_ALLOWED_HOSTS", "127.0.0.1")));
    }

    @AfterAll
    static void stopSystem() {
        if (system != null) {
            system.close();
        }
        if (receiver != null) {
            receiver.close();
        }
        if (clinicalTrialsGov != null) {
            clinicalTrialsGov.stop();
        }
    }

    private static String subscribe(String team, String filterJson) {
        String secret = given().auth().oauth2(TestTokens.subscriber(team)).contentType(ContentType.JSON)
                .body("{\"name\":\"" + team + "\",\"channel\":\"webhook\",\"url\":\"" + receiver.url("/hooks/" + team) + "\","
                        + "\"filter\":" + filterJson + "}")
                .post(system.url(Service.NOTIFICATION) + "/api/subscriptions")
                .then().statusCode(201).extract().path("secret");
        assertThat(secret).startsWith("whsec_");
        return secret;
    }

    private static JsonNode verified(WebhookReceiver.Received delivery, String secret) throws Exception {
        new Webhook(secret).verify(delivery.body(), Map.of(
                "webhook-id", List.of(delivery.header("webhook-id")),
                "webhook-timestamp", List.of(delivery.header("webhook-timestamp")),
                "webhook-signature", List.of(delivery.header("webhook-signature"))));
        return EventJson.mapper().readTree(delivery.body());
    }

    @Test
    void curatorsStatusChangeReachesTheTeamsWebhookSignedAndMovesTheEvidenceSummary() throws Exception {
        String nctId = "NCT06128551"; // RECRUITING in the seed (PC, RAS(ON) inhibitor combination)
        String secret = subscribe("team-curated", "{\"nctIds\":[\"" + nctId + "\"],\"eventTypes\":[\"trial.status-changed\"]}");
        subscribe("team-elsewhere", "{\"nctIds\":[\"NCT04333927\"]}");

        String evidence = system.url(Service.EVIDENCE);
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            io.restassured.response.Response r = given().get(evidence + "/api/trials/{id}/evidence", nctId);
            return r.statusCode() == 200 && r.jsonPath().getBoolean("tracked");
        });
        List<String> groups = given().get(evidence + "/api/trials/{id}/evidence", nctId).then().statusCode(200)
                .extract().jsonPath().getList("groups.groupKey");
        assertThat(groups).isNotEmpty();
        String groupKey = groups.get(0);
        String summaryTagBefore = given().get(evidence + "/api/summaries/{key}", groupKey).then().statusCode(200)
                .extract().header("ETag");

        String registry = system.url(Service.REGISTRY);
        String etag = given().get(registry + "/api/trials/" + nctId).then().statusCode(200).extract().header("ETag");
        given().auth().oauth2(TestTokens.curator()).header("If-Match", etag).contentType(ContentType.JSON)
                .body("{\"newStatus\":\"TERMINATED\",\"effectiveDate\":\"2026-11-20\",\"reason\":\"sponsor decision\"}")
                .post(registry + "/api/trials/" + nctId + "/status-changes").then().statusCode(201);

        await().atMost(Duration.ofSeconds(30)).until(() -> !receiver.at("/hooks/team-curated").isEmpty());
        JsonNode payload = verified(receiver.at("/hooks/team-curated").get(0), secret);
        assertThat(payload.path("type").asText()).contains("status");
        assertThat(payload.toString()).contains(nctId).contains("TERMINATED");

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            io.restassured.response.Response summary = given().get(evidence + "/api/summaries/{key}", groupKey);
            assertThat(summary.header("ETag")).isNotEqualTo(summaryTagBefore);
            assertThat(summary.jsonPath().getInt("trackedByStatus.TERMINATED")).isGreaterThanOrEqualTo(1);
        });

        Thread.sleep(2_000); // a stray delivery would have arrived by now
        assertThat(receiver.at("/hooks/team-curated")).hasSize(1);
        assertThat(receiver.at("/hooks/team-elsewhere")).isEmpty();
    }

    @Test
    void syncFindsATerminationOnClinicalTrialsGovAndTheSubscriberHearsOfIt() throws Exception {
        String nctId = "NCT05379985"; // RECRUITING in the seed; TERMINATED in the recorded API answer
        String secret = subscribe("team-terminations", "{\"statusTransitions\":[\"→TERMINATED\"],\"nctIds\":[\"" + nctId + "\"]}");

        String registry = system.url(Service.REGISTRY);
        given().auth().oauth2(TestTokens.curator()).post(registry + "/api/sync/runs").then().statusCode(202);

        await().atMost(Duration.ofSeconds(45)).until(() -> !receiver.at("/hooks/team-terminations").isEmpty());
        JsonNode payload = verified(receiver.at("/hooks/team-terminations").get(0), secret);
        assertThat(payload.toString()).contains(nctId).contains("TERMINATED").contains("CTGOV_SYNC");
        given().get(registry + "/api/trials/{id}", nctId).then().statusCode(200)
                .body("overallStatus", org.hamcrest.Matchers.equalTo("TERMINATED"));
    }
}
